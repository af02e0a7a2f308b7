// What happens to every case whatever its pathway: intake (registration, consent, baseline
// assessment, orientation), SRI follow-ups, notes and case conferences, transfers between
// caseworkers, closure (proposed by the caseworker, approved or sent back by a supervisor),
// reopening and erasure on request.
#include <algorithm>

#include "demo/simulation.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {
namespace {

namespace wf = workflows;

// Life events that end a case whatever its pathway (weights per 1,000 participants):
// resettlement or a move away, lost contact, dropping out.
constexpr uint32_t kNoExit = 860, kResettles = 30, kLosesContact = 50, kDropsOut = 60;
constexpr double kTransferShare = 0.05;
constexpr double kConferenceShare = 0.08;
constexpr double kReopenShare = 0.06;    // of cases closed as not yet / dropped out / lost contact
constexpr double kErasureShare = 0.012;  // of closed cases: ~0.5% of participants by the end
constexpr double kClosureSentBack = 0.06;  // the supervisor asks to keep the case open
constexpr double kForgetsConsent =
    0.02;  // of first employment orientations: referral refused, see ReferToAnapec

const std::vector<std::string> kIntakeNotes = {
    "Premier entretien : souhaite travailler rapidement, disponible à temps plein.",
    "Premier entretien : intéressé·e par une activité à domicile ; garde d'enfants à organiser.",
    "Premier entretien : carte de réfugié à renouveler, orienté·e vers le HCR.",
    "Premier entretien : bonne maîtrise du français, expérience en restauration.",
};
const std::vector<std::string> kFollowUpNotes = {
    "Appel de suivi : situation stable, recherche active.",
    "Visite à domicile : le ménage a déménagé dans le même quartier.",
    "Signale des difficultés de transport jusqu'au lieu de formation.",
    "Rendez-vous manqué ; nouveau rendez-vous fixé la semaine prochaine.",
    "Orienté·e vers le partenaire santé pour un suivi médical.",
};
const std::vector<std::string> kConferenceDecisions = {
    "Maintenir le parcours et renforcer le suivi mensuel.",
    "Proposer une formation courte avant la recherche d'emploi.",
    "Solliciter une aide ponctuelle au loyer auprès du HCR.",
    "Réorienter si aucune avancée dans trois mois.",
};
const std::vector<std::string> kClosureReasons = {
    "Objectifs du plan d'accompagnement atteints.",
    "Plus de nouvelles malgré trois relances.",
    "Départ annoncé par le·la participant·e.",
    "Souhaite mettre le parcours en pause.",
};
const std::vector<std::string> kReopenReasons = {
    "Reprise de contact à l'initiative du·de la participant·e",
    "Nouvelle opportunité signalée par un partenaire", "Retour dans la ville après un départ"};
const std::vector<std::string> kRationales = {
    "Projet professionnel clair et expérience antérieure.",
    "Souhaite une activité compatible avec la garde des enfants.",
    "Compétences à certifier avant la recherche d'emploi."};

struct ConsentInfo {
  Consent bit;
  const char* purpose;
  const char* recipient;
};
constexpr ConsentInfo kConsents[] = {{kDataProcessing, "data_processing", "AMAPPE"},
                                     {kEmploymentReferral, "employment_referral", "ANAPEC"},
                                     {kTrainingReferral, "training_referral", "TRAINING_PROVIDER"},
                                     {kCooperativeSupport, "cooperative_support", "ODCO"},
                                     {kMicrofinance, "microfinance_referral", "MFI"}};
const ConsentInfo& Info(Consent c) {
  for (const auto& i : kConsents) {
    if (i.bit == c) return i;
  }
  return kConsents[0];
}

bool NeedsEndline(Outcome o) {
  return o == Outcome::kSelfReliant || o == Outcome::kPartly || o == Outcome::kNotYet;
}

int EndlineLevel(Outcome o) {
  return o == Outcome::kSelfReliant ? 4 : o == Outcome::kPartly ? 3 : 2;
}

bool Open(CaseStage s) {
  return s == CaseStage::kRegistered || s == CaseStage::kConsented || s == CaseStage::kAssessed ||
         s == CaseStage::kActive;
}

}  // namespace

void Simulation::Register(Participant& p) {
  const Person person = population_.Draw(Index(p), p.rng);
  p.city = static_cast<uint8_t>(person.city);
  p.household_size = static_cast<uint8_t>(std::min<uint32_t>(person.household_size, 30));
  p.woman = person.sex == "female";
  p.caseworker = AnyCaseworker(p.city, p.rng);
  auto m = std::make_shared<wf::RegisterParticipant>(population_.ToRegistration(person, today_));
  if (!Execute(p.case_id, "RegisterParticipant", m, p.caseworker)) return;
  p.stage = CaseStage::kRegistered;
  ++report_->participants;

  // Pathway shares: employment 45%, micro-project 25%, training 20%, cooperative 10%
  // overall; women lean a little towards micro-projects and training.
  const size_t pathway = p.woman ? p.rng.Pick({38, 30, 22, 10}) : p.rng.Pick({50, 22, 18, 10});
  p.first_pathway = static_cast<Pathway>(pathway);
  if (p.rng.Chance(0.3)) AddNote(p, kIntakeNotes);

  // Consent at the first meeting (95%), at a second one (4%), or never: contact is lost.
  switch (p.rng.Pick({95, 4, 1})) {
    case 0:
      FirstConsent(p);
      break;
    case 1:
      Later(p, 3, 20, TaskKind::kConsent);
      break;
    default:
      Later(p, 30, 60, TaskKind::kExit, static_cast<uint8_t>(Outcome::kLostContact));
      break;
  }
  switch (p.rng.Pick({kNoExit, kResettles, kLosesContact, kDropsOut})) {
    case 1:
      Later(p, 60, 600, TaskKind::kExit, static_cast<uint8_t>(Outcome::kResettled));
      break;
    case 2:
      Later(p, 30, 500, TaskKind::kExit, static_cast<uint8_t>(Outcome::kLostContact));
      break;
    case 3:
      Later(p, 20, 400, TaskKind::kExit, static_cast<uint8_t>(Outcome::kDroppedOut));
      break;
    default:
      break;
  }
  if (p.rng.Chance(kTransferShare)) Later(p, 40, 400, TaskKind::kTransferRequest);
  if (p.rng.Chance(kConferenceShare)) Later(p, 30, 400, TaskKind::kConference);
  if (p.rng.Chance(0.25)) Later(p, 20, 500, TaskKind::kNote);
}

void Simulation::GiveConsent(Participant& p, Consent consent) {
  if (p.consents & consent) return;
  const ConsentInfo& info = Info(consent);
  auto m = std::make_shared<wf::RecordConsent>();
  m->set_purpose(info.purpose);
  m->set_recipient(info.recipient);
  m->set_given_on(Today());
  m->set_form_reference("FC-DEMO-" + std::to_string(Index(p) + 1) + "-" + std::to_string(consent));
  if (!Execute(p.case_id, "RecordConsent", m, p.caseworker)) return;
  p.consents |= consent;
  if (p.stage == CaseStage::kRegistered) p.stage = CaseStage::kConsented;
}

void Simulation::WithdrawConsent(Participant& p, Consent consent) {
  if (!(p.consents & consent)) return;
  const ConsentInfo& info = Info(consent);
  auto m = std::make_shared<wf::WithdrawConsent>();
  m->set_purpose(info.purpose);
  m->set_recipient(info.recipient);
  m->set_withdrawn_on(Today());
  m->set_reason("Ne souhaite plus que ses données soient transmises.");
  if (Execute(p.case_id, "WithdrawConsent", m, p.caseworker))
    p.consents &= static_cast<uint8_t>(~consent);
}

void Simulation::FirstConsent(Participant& p) {
  if (p.stage != CaseStage::kRegistered || p.closure_proposed) return;
  GiveConsent(p, kDataProcessing);
  if (p.stage != CaseStage::kConsented) return;
  if (p.rng.Chance(0.4)) {
    RecordBaseline(p);  // in the same meeting
  } else {
    Later(p, 1, 14, TaskKind::kBaseline);
  }
}

void Simulation::RecordBaseline(Participant& p) {
  if (p.stage != CaseStage::kConsented || p.closure_proposed) return;
  if (!Assess(p, "baseline", 2)) return;
  p.stage = CaseStage::kAssessed;
  FollowUp(p.rng, Param("sri_6m_days"), Index(p), TaskKind::kSri6, 0, 0, p.epoch);
  FollowUp(p.rng, Param("sri_12m_days"), Index(p), TaskKind::kSri12, 0, 0, p.epoch);
  Later(p, 3, 21, TaskKind::kOrient, static_cast<uint8_t>(p.first_pathway));
}

bool Simulation::Assess(Participant& p, const char* kind, int level) {
  auto m = std::make_shared<wf::RecordAssessment>();
  m->set_kind(kind);
  m->set_assessed_on(Today());
  auto score = [&] {
    return static_cast<uint32_t>(std::clamp<int64_t>(level + p.rng.Between(-1, 1), 1, 5));
  };
  m->set_housing(score());
  m->set_food(score());
  m->set_education(p.household_size > 1 ? score() : 0);  // no children to school: not applicable
  m->set_health_care(score());
  m->set_health_status(score());
  m->set_safety(score());
  m->set_employment(score());
  m->set_financial_resources(score());
  m->set_assistance(score());
  m->set_debt(score());
  m->set_savings(score());
  m->set_social_capital(score());
  return Execute(p.case_id, "RecordAssessment", m, p.caseworker);
}

bool Simulation::PathwayAvailable(const Participant& p, Pathway pathway) const {
  switch (pathway) {
    case Pathway::kEmployment:
      return p.emp == Emp::kNone || p.emp == Emp::kCompleted;
    case Pathway::kMicroproject:
      return p.micro == Micro::kNone || p.micro == Micro::kRejected || p.micro == Micro::kStopped ||
             p.micro == Micro::kEstablished;
    case Pathway::kTraining:
      return p.train == Train::kNone || p.train == Train::kDroppedOut ||
             p.train == Train::kOrientedOnward;
    case Pathway::kCooperative:
      return p.member == Member::kNone;
  }
  return false;
}

void Simulation::OrientTo(Participant& p, Pathway pathway, bool first) {
  switch (pathway) {
    case Pathway::kEmployment:
      if (!(first && p.rng.Chance(kForgetsConsent))) GiveConsent(p, kEmploymentReferral);
      break;
    case Pathway::kTraining:
      GiveConsent(p, kTrainingReferral);
      break;
    case Pathway::kCooperative:
      GiveConsent(p, kCooperativeSupport);
      break;
    case Pathway::kMicroproject:
      break;  // the micro-finance consent comes with a micro-credit
  }
  auto m = std::make_shared<wf::OrientToPathway>();
  m->set_pathway(PathwayName(pathway));
  m->set_oriented_on(Today());
  if (p.rng.Chance(0.5)) m->set_rationale(p.rng.OneOf(kRationales));
  if (!Execute(p.case_id, "OrientToPathway", m, p.caseworker)) return;
  p.stage = CaseStage::kActive;
  switch (pathway) {
    case Pathway::kEmployment:
      StartEmployment(p);
      break;
    case Pathway::kMicroproject:
      StartMicroproject(p);
      break;
    case Pathway::kTraining:
      StartTraining(p);
      break;
    case Pathway::kCooperative:
      JoinPool(p);
      break;
  }
}

void Simulation::FollowUpSri(Participant& p, const char* kind, int level) {
  if ((p.stage == CaseStage::kAssessed || p.stage == CaseStage::kActive) && !p.closure_proposed) {
    Assess(p, kind, level);
  }
}

void Simulation::AddNote(Participant& p, const std::vector<std::string>& texts) {
  if (!Open(p.stage) || p.closure_proposed) return;
  auto m = std::make_shared<wf::AddNote>();
  m->set_text(p.rng.OneOf(texts.empty() ? kFollowUpNotes : texts));
  m->set_noted_on(Today());
  Execute(p.case_id, "AddNote", m, p.caseworker);
}

void Simulation::HoldConference(Participant& p) {
  if (!Open(p.stage) || p.closure_proposed) return;
  auto m = std::make_shared<wf::RecordCaseConference>();
  m->set_held_on(Today());
  m->add_attendees("AMAPPE");
  m->add_attendees("HCR");
  if (p.emp != Emp::kNone) m->add_attendees("ANAPEC");
  if (p.member != Member::kNone) m->add_attendees("ODCO");
  m->set_decision(p.rng.OneOf(kConferenceDecisions));
  Execute(p.case_id, "RecordCaseConference", m, p.caseworker);
}

void Simulation::RequestTransfer(Participant& p) {
  // Cooperative members stay with the caseworker who accompanies their cooperative.
  if (!Open(p.stage) || p.closure_proposed || p.transfer_pending || p.member != Member::kNone)
    return;
  const auto& team = caseworkers_by_city_[p.city];
  uint16_t receiver = p.caseworker;
  if (team.size() >= 2 && p.rng.Chance(0.8)) {
    while (receiver == p.caseworker) receiver = team[p.rng.Below(team.size())];  // a colleague
  } else {
    std::vector<uint32_t> weights = population_.city_weights();
    weights[p.city] = 0;  // the participant moves to another city
    receiver = AnyCaseworker(static_cast<uint8_t>(p.rng.Pick(weights)), p.rng);
  }
  const bool moves = CityOf(receiver) != p.city;
  auto m = std::make_shared<wf::RequestTransfer>();
  m->set_to_caseworker_id(staff_[receiver].user_id);
  m->set_to_city(CityName(CityOf(receiver)));
  m->set_reason(moves ? "Déménagement annoncé à " + CityName(CityOf(receiver))
                      : "Rééquilibrage des portefeuilles");
  const uint16_t requester = p.rng.Chance(0.9) ? p.caseworker : Supervisor(p.city, p.rng);
  if (!Execute(p.case_id, "RequestTransfer", m, requester)) return;
  p.transfer_pending = true;
  p.transfer_to = receiver;
  // Most answers come within the week; a fifth come late (the deadline turns overdue).
  if (p.rng.Chance(0.8)) {
    Later(p, 1, 6, TaskKind::kTransferAnswer);
  } else {
    Later(p, 9, 21, TaskKind::kTransferAnswer);
  }
}

void Simulation::AnswerTransfer(Participant& p) {
  if (!p.transfer_pending) return;
  const uint8_t to_city = CityOf(p.transfer_to);
  // Workaround: the workflows scope every command to the case's current city, so a
  // caseworker of another city cannot answer yet; the national coordinator (a supervisor in
  // every city) answers moves between cities.
  const uint16_t answerer = to_city == p.city ? p.transfer_to : coordinator_;
  const bool accept = p.rng.Chance(0.88);
  if (accept) {
    auto m = std::make_shared<wf::AcceptTransfer>();
    m->set_accepted_on(Today());
    if (!Execute(p.case_id, "AcceptTransfer", m, answerer)) return;
    p.caseworker = p.transfer_to;
    const bool waiting = p.in_pool;  // for a cooperative: now with the new city's members
    if (waiting) LeavePool(p);
    p.city = to_city;
    if (waiting) JoinPool(p);
    ++report_->transfers;
  } else {
    auto m = std::make_shared<wf::DeclineTransfer>();
    m->set_reason("Portefeuille complet ce trimestre");
    if (!Execute(p.case_id, "DeclineTransfer", m, answerer)) return;
  }
  p.transfer_pending = false;
}

void Simulation::ProposeClosure(Participant& p, Outcome outcome) {
  if (!Open(p.stage) || p.closure_proposed) return;
  if (p.transfer_pending) {  // the receiving caseworker answers first
    Later(p, 7, 14, TaskKind::kProposeClosure, static_cast<uint8_t>(outcome));
    return;
  }
  if (NeedsEndline(outcome) && !p.endline) {
    if (p.stage != CaseStage::kAssessed && p.stage != CaseStage::kActive) {
      outcome = Outcome::kDroppedOut;  // never assessed: no endline to compare with
    } else if (Assess(p, "endline", EndlineLevel(outcome))) {
      p.endline = true;
    } else {
      return;
    }
  }
  auto m = std::make_shared<wf::ProposeClosure>();
  m->set_outcome(OutcomeName(outcome));
  m->set_closed_on(Today());
  if (p.rng.Chance(0.5)) m->set_reason(p.rng.OneOf(kClosureReasons));
  if (!Execute(p.case_id, "ProposeClosure", m, p.caseworker)) return;
  p.closure_proposed = true;
  p.proposed = outcome;
  if (p.in_pool) LeavePool(p);
  Later(p, 1, 10, TaskKind::kDecideClosure);
}

void Simulation::CloseLater(Participant& p, int min_days, int max_days,
                            std::initializer_list<std::pair<Outcome, uint32_t>> choices) {
  std::vector<uint32_t> weights;
  for (const auto& [outcome, weight] : choices) weights.push_back(weight);
  const Outcome outcome = (choices.begin() + p.rng.Pick(weights))->first;
  Later(p, min_days, max_days, TaskKind::kProposeClosure, static_cast<uint8_t>(outcome));
}

void Simulation::DecideClosure(Participant& p) {
  if (!p.closure_proposed || p.stage == CaseStage::kClosed) return;
  const uint16_t supervisor = Supervisor(p.city, p.rng);
  if (p.rng.Chance(kClosureSentBack)) {
    auto m = std::make_shared<wf::RejectClosure>();
    m->set_reason("Poursuivre l'accompagnement encore un trimestre");
    if (!Execute(p.case_id, "RejectClosure", m, supervisor)) return;
    p.closure_proposed = false;
    Later(p, 14, 45, TaskKind::kProposeClosure, static_cast<uint8_t>(p.proposed));
    return;
  }
  auto m = std::make_shared<wf::ApproveClosure>();
  m->set_approved_on(Today());
  if (!Execute(p.case_id, "ApproveClosure", m, supervisor)) return;
  p.stage = CaseStage::kClosed;
  p.closure_proposed = false;
  ++p.epoch;  // every plan made for the open case lapses
  ++report_->closures_by_outcome[OutcomeName(p.proposed)];
  const bool may_return = p.proposed == Outcome::kNotYet || p.proposed == Outcome::kDroppedOut ||
                          p.proposed == Outcome::kLostContact;
  if (may_return && p.rng.Chance(kReopenShare)) {
    Later(p, 30, 180, TaskKind::kReopen);
  } else if (p.rng.Chance(kErasureShare)) {
    Later(p, 14, 90, TaskKind::kErase);
  }
}

void Simulation::Reopen(Participant& p) {
  if (p.stage != CaseStage::kClosed) return;
  std::vector<Pathway> choices;
  for (Pathway w : {Pathway::kEmployment, Pathway::kMicroproject, Pathway::kTraining}) {
    if (PathwayAvailable(p, w)) choices.push_back(w);
  }
  if (choices.empty()) return;
  auto m = std::make_shared<wf::ReopenCase>();
  m->set_reason(p.rng.OneOf(kReopenReasons));
  m->set_reopened_on(Today());
  if (!Execute(p.case_id, "ReopenCase", m, Supervisor(p.city, p.rng))) return;
  p.stage = CaseStage::kActive;
  OrientTo(p, p.rng.OneOf(choices), false);
}

void Simulation::Erase(Participant& p) {
  if (p.stage != CaseStage::kClosed || p.erased) return;
  auto m = std::make_shared<wf::ErasePersonalData>();
  char ref[32];
  std::snprintf(ref, sizeof ref, "DSR-DEMO-%04llu",
                static_cast<unsigned long long>(++next_request_ref_));
  m->set_request_ref(ref);
  if (!Execute(p.case_id, "ErasePersonalData", m, admin_)) return;
  p.erased = true;
  ++report_->erasures;
}

}  // namespace piseruma::demo
