// The micro-project (AGR) pathway: entrepreneurship training, a business plan reviewed by
// the supervisor (approved, sent back for revision, or rejected), financing (a grant or a
// micro-credit, sometimes refused), auto-entrepreneur registration, launch, and follow-up
// visits at 3, 6 and 12 months (some activities stop).
#include "demo/simulation.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {
namespace {

namespace wf = workflows;

constexpr double kNeverTrained = 0.08;
constexpr double kAsksMicrocredit = 0.35;  // else a grant
constexpr double kFinancingRefused = 0.15;
constexpr double kRegistersAsAutoEntrepreneur = 0.7;
constexpr double kCaseworkerTriesToReview = 0.01;  // refused: reviews are for supervisors

const char* const kActivityTypes[] = {"commerce", "services", "crafts", "industry"};
const char* const kSectors[] = {"commerce de détail", "services aux particuliers", "artisanat",
                                "agroalimentaire"};
const std::vector<std::vector<std::string>> kTitles = {
    {"Épicerie de quartier", "Vente de vêtements au marché",
     "Vente d'épices et de produits syriens"},
    {"Salon de coiffure", "Réparation de téléphones", "Snack et restauration rapide",
     "Service traiteur à domicile"},
    {"Atelier de couture", "Pâtisserie orientale à domicile", "Broderie et artisanat textile"},
    {"Petite unité de transformation alimentaire", "Atelier de menuiserie"},
};
const std::vector<std::string> kRevisionComments = {
    "Revoir le budget prévisionnel : loyer sous-estimé.",
    "Préciser la clientèle visée et les prix de vente.",
    "Ajouter un devis pour le matériel demandé.",
};
const std::vector<std::string> kRejectionComments = {
    "Marché saturé dans le quartier ; projet non viable en l'état.",
    "Montant demandé sans rapport avec l'activité prévue.",
};
const std::vector<std::string> kRevisionNotes = {
    "Plan d'affaires : séance de travail prévue sur le budget.",
    "Plan d'affaires : le·la participant·e rassemble les devis.",
};
const char* const kMilestones[] = {"month_3", "month_6", "month_12"};

// Review decisions by round: approved, revise, rejected.
size_t ReviewDecision(DemoRng& rng, int round) {
  if (round <= 1) return rng.Pick({60, 30, 10});
  if (round == 2) return rng.Pick({75, 15, 10});
  return rng.Pick({85, 0, 15});
}

}  // namespace

void Simulation::StartMicroproject(Participant& p) {
  p.micro = Micro::kOpen;
  ++p.micro_gen;
  p.plan_rounds = 0;
  p.financing_tries = 0;
  p.micro_since = today_;
  if (p.rng.Chance(kNeverTrained)) {
    CloseLater(p, 60, 150, {{Outcome::kDroppedOut, 60}, {Outcome::kNotYet, 40}});
  } else {
    Later(p, 14, 45, TaskKind::kMicroproject, kMicroTrain, p.micro_gen);
  }
}

void Simulation::MicroprojectStep(Participant& p, Step step) {
  switch (step) {
    case kMicroTrain:
      TrainEntrepreneur(p);
      break;
    case kMicroSubmit:
      SubmitPlan(p);
      break;
    case kMicroReview:
      ReviewPlan(p);
      break;
    case kMicroFinance:
      Finance(p);
      break;
    case kMicroAe:
      RegisterAutoEntrepreneur(p);
      break;
    case kMicroLaunch:
      Launch(p);
      break;
    case kMicroFollowUp3:
      BusinessFollowUp(p, 0);
      break;
    case kMicroFollowUp6:
      BusinessFollowUp(p, 1);
      break;
    case kMicroFollowUp12:
      BusinessFollowUp(p, 2);
      break;
    case kMicroLateReview:  // the 12-month visit was missed: close on what is known
      if (p.micro == Micro::kLaunched)
        CloseLater(p, 0, 30, {{Outcome::kSelfReliant, 50}, {Outcome::kPartly, 50}});
      break;
    default:
      break;
  }
}

void Simulation::TrainEntrepreneur(Participant& p) {
  if (p.micro != Micro::kOpen) return;
  auto m = std::make_shared<wf::RecordEntrepreneurshipTraining>();
  m->set_provider(p.rng.Chance(0.7) ? "AMAPPE — formation à l'entrepreneuriat"
                                    : "AMAPPE — module « Créer son activité »");
  m->set_start_date(workflows::FormatDate(std::max(p.micro_since, today_ - p.rng.Between(5, 20))));
  m->set_end_date(Today());
  m->set_hours(static_cast<double>(p.rng.Between(20, 60)));
  if (!Execute(p.case_id, "RecordEntrepreneurshipTraining", m, p.caseworker)) return;
  p.micro = Micro::kTrained;
  p.activity_type = static_cast<uint8_t>(p.rng.Pick({40, 35, 20, 5}));
  Later(p, 14, 45, TaskKind::kMicroproject, kMicroSubmit, p.micro_gen);
}

void Simulation::SubmitPlan(Participant& p) {
  if (p.micro != Micro::kTrained && p.micro != Micro::kRevising) return;
  auto m = std::make_shared<wf::SubmitBusinessPlan>();
  m->set_title(p.rng.OneOf(kTitles[p.activity_type]));
  m->set_sector(kSectors[p.activity_type]);
  m->set_activity_type(kActivityTypes[p.activity_type]);
  m->set_requested_amount_mad(static_cast<double>(p.rng.Between(5, 40) * 1000));
  m->set_expected_annual_turnover_mad(
      static_cast<double>(p.rng.Between(40, 180) * 1000));  // under both ceilings
  m->set_submitted_on(Today());
  if (!Execute(p.case_id, "SubmitBusinessPlan", m, p.caseworker)) return;
  p.micro = Micro::kPlanSubmitted;
  ++p.plan_rounds;
  Later(p, 5, 20, TaskKind::kMicroproject, kMicroReview, p.micro_gen);
}

void Simulation::ReviewPlan(Participant& p) {
  if (p.micro != Micro::kPlanSubmitted) return;
  static const char* kDecisions[] = {"approved", "revise", "rejected"};
  const size_t decision = ReviewDecision(p.rng, p.plan_rounds);
  auto m = std::make_shared<wf::ReviewBusinessPlan>();
  m->set_decision(kDecisions[decision]);
  m->set_reviewed_on(Today());
  if (decision == 1) m->set_comments(p.rng.OneOf(kRevisionComments));
  if (decision == 2) m->set_comments(p.rng.OneOf(kRejectionComments));
  if (p.rng.Chance(kCaseworkerTriesToReview)) {
    Execute(p.case_id, "ReviewBusinessPlan", m, p.caseworker,
            Expect::kRefused);  // 403: supervisors only
  }
  if (!Execute(p.case_id, "ReviewBusinessPlan", m, Supervisor(p.city, p.rng))) return;
  if (decision == 0) {
    p.micro = Micro::kApproved;
    Later(p, 10, 40, TaskKind::kMicroproject, kMicroFinance, p.micro_gen);
  } else if (decision == 1) {
    p.micro = Micro::kRevising;
    if (p.rng.Chance(0.3)) AddNote(p, kRevisionNotes);
    Later(p, 10, 30, TaskKind::kMicroproject, kMicroSubmit, p.micro_gen);
  } else {
    p.micro = Micro::kRejected;
    if (PathwayAvailable(p, Pathway::kEmployment) && p.rng.Chance(0.35)) {
      Later(p, 14, 40, TaskKind::kOrient, static_cast<uint8_t>(Pathway::kEmployment));
    } else {
      CloseLater(p, 30, 90, {{Outcome::kNotYet, 60}, {Outcome::kDroppedOut, 40}});
    }
  }
}

void Simulation::Finance(Participant& p) {
  if (p.micro != Micro::kApproved) return;
  if (p.financing_tries == 0) p.microcredit = p.rng.Chance(kAsksMicrocredit);
  if (p.microcredit) GiveConsent(p, kMicrofinance);
  const bool granted = !p.rng.Chance(kFinancingRefused);
  auto m = std::make_shared<wf::RecordFinancing>();
  m->set_kind(p.microcredit ? "microcredit" : "grant");
  m->set_institution(p.microcredit ? "Institution de microfinance partenaire"
                                   : (p.rng.Chance(0.6) ? "HCR — subvention AGR via AMAPPE"
                                                        : "INDH — appui aux AGR"));
  m->set_amount_mad(
      static_cast<double>((p.microcredit ? p.rng.Between(10, 40) : p.rng.Between(5, 20)) * 1000));
  m->set_decision(granted ? "granted" : "refused");
  m->set_decided_on(Today());
  if (!Execute(p.case_id, "RecordFinancing", m, p.caseworker)) return;
  ++p.financing_tries;
  if (granted) {
    p.micro = Micro::kFinanced;
    const Step next = p.rng.Chance(kRegistersAsAutoEntrepreneur) ? kMicroAe : kMicroLaunch;
    Later(p, 7, 30, TaskKind::kMicroproject, next, p.micro_gen);
  } else if (p.financing_tries < 2 && p.rng.Chance(0.6)) {
    p.microcredit = !p.microcredit;  // try the other kind
    Later(p, 20, 60, TaskKind::kMicroproject, kMicroFinance, p.micro_gen);
  } else {
    CloseLater(p, 30, 90, {{Outcome::kNotYet, 70}, {Outcome::kDroppedOut, 30}});
  }
}

void Simulation::RegisterAutoEntrepreneur(Participant& p) {
  if (p.micro != Micro::kFinanced) return;
  auto m = std::make_shared<wf::RegisterAutoEntrepreneur>();
  char number[32];
  std::snprintf(number, sizeof number, "AE-DEMO-%06u", Index(p) + 1);
  m->set_ae_number(number);
  m->set_activity_type(kActivityTypes[p.activity_type]);
  m->set_registered_on(Today());
  if (!Execute(p.case_id, "RegisterAutoEntrepreneur", m, p.caseworker)) return;
  p.micro = Micro::kAeRegistered;
  Later(p, 3, 20, TaskKind::kMicroproject, kMicroLaunch, p.micro_gen);
}

void Simulation::Launch(Participant& p) {
  if (p.micro != Micro::kFinanced && p.micro != Micro::kAeRegistered) return;
  auto m = std::make_shared<wf::LaunchActivity>();
  m->set_launched_on(Today());
  if (!Execute(p.case_id, "LaunchActivity", m, p.caseworker)) return;
  p.micro = Micro::kLaunched;
  ++p.micro_gen;
  p.activity_ends = EndsAfter(p.rng, today_, 8, 8, 10);  // % stopped by 3, 6, 12 months
  PlanFollowUps(p.rng, Index(p), TaskKind::kMicroproject, kMicroFollowUp3, p.micro_gen, p.epoch);
}

void Simulation::BusinessFollowUp(Participant& p, int milestone) {
  if (p.micro != Micro::kLaunched) return;
  const bool active = today_ < p.activity_ends;
  auto m = std::make_shared<wf::RecordBusinessFollowUp>();
  m->set_milestone(kMilestones[milestone]);
  m->set_visited_on(Today());
  m->set_still_active(active);
  if (active) m->set_monthly_revenue_mad(static_cast<double>(p.rng.Between(15, 70) * 100));
  if (!Execute(p.case_id, "RecordBusinessFollowUp", m, p.caseworker)) return;
  if (!active) {
    p.micro = Micro::kStopped;
    ++p.micro_gen;
    CloseLater(p, 14, 60, {{Outcome::kNotYet, 60}, {Outcome::kPartly, 40}});
  } else if (milestone == 2) {
    p.micro = Micro::kEstablished;
    CloseLater(p, 7, 40, {{Outcome::kSelfReliant, 75}, {Outcome::kPartly, 25}});
  }
}

}  // namespace piseruma::demo
