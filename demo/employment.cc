// The wage-employment pathway with ANAPEC: referral, ANAPEC's answer (sometimes late,
// sometimes a refusal), job-search workshops (some missed), placement with an employer,
// follow-ups at 3, 6 and 12 months (on time, late or missed; some jobs are lost).
#include "demo/simulation.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {
namespace {

namespace wf = workflows;

constexpr double kAnapecRefuses = 0.15;      // first referral; 10% on a later one
constexpr double kAnapecAnswersLate = 0.25;  // after anapec_answer_days
constexpr double kWorkshopMissed = 0.20;
constexpr double kFindsJob = 0.55;  // of those registered with ANAPEC
constexpr double kWithdrawsAfterRefusal = 0.2;

const std::vector<std::string> kRefusalReasons = {
    "Dossier incomplet : copie de la carte de réfugié manquante",
    "Titre de séjour en cours de renouvellement",
    "Aucune offre correspondant au profil dans l'agence",
    "Pièce d'identité illisible, à redéposer",
};
const std::vector<std::string> kRefusalNotes = {
    "Refus ANAPEC : aider à compléter le dossier avant un nouvel envoi.",
    "Refus ANAPEC : rendez-vous pris au HCR pour le renouvellement de la carte.",
};
const std::vector<std::string> kWorkshops = {"cv_writing", "job_search", "interview", "labour_law",
                                             "other"};
const std::vector<std::string> kTargetSectors = {
    "textile", "restauration", "centres d'appels", "commerce", "BTP", "hôtellerie", "logistique"};
const char* const kMilestones[] = {"month_3", "month_6", "month_12"};

double Wage(DemoRng& rng, const std::string& contract) {
  if (contract == "stage") return static_cast<double>(rng.Between(30, 50) * 50);
  double wage = static_cast<double>(rng.Between(58, 90) * 50);  // around the SMIG
  if (rng.Chance(0.15)) wage += static_cast<double>(rng.Between(10, 80) * 50);
  return wage;
}

}  // namespace

void Simulation::StartEmployment(Participant& p) {
  p.emp = Emp::kOpen;
  ++p.emp_gen;
  p.anapec_tries = 0;
  Later(p, 1, 10, TaskKind::kEmployment, kEmpRefer, p.emp_gen);
}

void Simulation::EmploymentStep(Participant& p, Step step) {
  switch (step) {
    case kEmpRefer:
      ReferToAnapec(p);
      break;
    case kEmpAnswer:
      AnapecAnswers(p);
      break;
    case kEmpWorkshop:
      AttendWorkshop(p);
      break;
    case kEmpPlace:
      Place(p);
      break;
    case kEmpFollowUp3:
      EmploymentFollowUp(p, 0);
      break;
    case kEmpFollowUp6:
      EmploymentFollowUp(p, 1);
      break;
    case kEmpFollowUp12:
      EmploymentFollowUp(p, 2);
      break;
    case kEmpLateReview:  // the 12-month follow-up was missed: close on what is known
      if (p.emp == Emp::kPlaced)
        CloseLater(p, 0, 30, {{Outcome::kSelfReliant, 50}, {Outcome::kPartly, 50}});
      break;
    default:
      break;
  }
}

void Simulation::ReferToAnapec(Participant& p) {
  if (p.emp != Emp::kOpen && p.emp != Emp::kRefused) return;
  auto m = std::make_shared<wf::SendAnapecReferral>();
  m->set_sent_on(Today());
  m->set_agency(CityName(p.city));
  m->set_target_sector(p.rng.OneOf(kTargetSectors));
  if (!(p.consents & kEmploymentReferral)) {
    // The consent was forgotten at orientation: piseruma refuses the referral and says
    // which consent is missing; the caseworker records it and sends again.
    Execute(p.case_id, "SendAnapecReferral", m, p.caseworker, Expect::kRefused);
    GiveConsent(p, kEmploymentReferral);
  }
  if (!Execute(p.case_id, "SendAnapecReferral", m, p.caseworker)) return;
  p.emp = Emp::kReferred;
  ++p.anapec_tries;
  const int answer_days = Param("anapec_answer_days");
  if (p.rng.Chance(kAnapecAnswersLate)) {
    Later(p, answer_days + 1, answer_days + 30, TaskKind::kEmployment, kEmpAnswer, p.emp_gen);
  } else {
    Later(p, 3, answer_days - 2, TaskKind::kEmployment, kEmpAnswer, p.emp_gen);
  }
}

void Simulation::AnapecAnswers(Participant& p) {
  if (p.emp != Emp::kReferred) return;
  if (p.rng.Chance(p.anapec_tries == 1 ? kAnapecRefuses : kAnapecRefuses * 2 / 3)) {
    auto m = std::make_shared<wf::RecordAnapecRefusal>();
    m->set_reason(p.rng.OneOf(kRefusalReasons));
    m->set_refused_on(Today());
    if (!Execute(p.case_id, "RecordAnapecRefusal", m, p.caseworker)) return;
    p.emp = Emp::kRefused;
    if (p.rng.Chance(0.5)) AddNote(p, kRefusalNotes);
    // Send again once the file is complete, try a micro-project instead, or stop here.
    const size_t next = p.rng.Pick({45, 25, 30});
    if (next == 0 && p.anapec_tries < 3) {
      Later(p, 20, 60, TaskKind::kEmployment, kEmpRefer, p.emp_gen);
    } else if (next == 1 && PathwayAvailable(p, Pathway::kMicroproject)) {
      Later(p, 10, 30, TaskKind::kOrient, static_cast<uint8_t>(Pathway::kMicroproject));
    } else {
      if (p.rng.Chance(kWithdrawsAfterRefusal)) WithdrawConsent(p, kEmploymentReferral);
      CloseLater(p, 30, 90, {{Outcome::kNotYet, 50}, {Outcome::kDroppedOut, 50}});
    }
    return;
  }
  auto m = std::make_shared<wf::ConfirmAnapecRegistration>();
  m->set_anapec_id("ANP-DEMO-" + std::to_string(Index(p) + 1) + "-" +
                   std::to_string(p.anapec_tries));
  m->set_confirmed_on(Today());
  if (!Execute(p.case_id, "ConfirmAnapecRegistration", m, p.caseworker)) return;
  p.emp = Emp::kRegistered;
  p.workshops_left = static_cast<uint8_t>(p.rng.Pick({15, 20, 30, 25, 10}));
  if (p.workshops_left == 0) {
    SearchJob(p);
  } else {
    Later(p, 5, 20, TaskKind::kEmployment, kEmpWorkshop, p.emp_gen);
  }
}

void Simulation::AttendWorkshop(Participant& p) {
  if (p.emp != Emp::kRegistered && p.emp != Emp::kJobSearch) return;
  if (!p.rng.Chance(kWorkshopMissed)) {
    auto m = std::make_shared<wf::RecordWorkshopAttendance>();
    m->set_workshop(p.rng.OneOf(kWorkshops));
    m->set_attended_on(Today());
    m->set_hours(static_cast<double>(p.rng.Between(2, 6)));
    if (!Execute(p.case_id, "RecordWorkshopAttendance", m, p.caseworker)) return;
    p.emp = Emp::kJobSearch;
  }
  if (--p.workshops_left > 0) {
    Later(p, 7, 21, TaskKind::kEmployment, kEmpWorkshop, p.emp_gen);
  } else {
    SearchJob(p);
  }
}

void Simulation::SearchJob(Participant& p) {
  if (p.rng.Chance(kFindsJob)) {
    Later(p, 15, 240, TaskKind::kEmployment, kEmpPlace, p.emp_gen);
  } else {
    CloseLater(p, 150, 400,
               {{Outcome::kNotYet, 70}, {Outcome::kDroppedOut, 20}, {Outcome::kLostContact, 10}});
  }
}

void Simulation::Place(Participant& p) {
  if (p.emp != Emp::kRegistered && p.emp != Emp::kJobSearch) return;
  const Employer& e = employers_[p.rng.Below(employers_.size())];
  static const std::vector<std::string> kContracts = {"CDI", "CDD", "stage", "other"};
  const std::string contract = kContracts[p.rng.Pick({30, 50, 12, 8})];
  auto m = std::make_shared<wf::RecordPlacement>();
  m->set_employer_name(e.name);
  m->set_employer_ice(e.ice);
  m->set_employer_created_on(e.created_on);
  m->set_employer_prior_tahfiz_hires(e.prior_tahfiz_hires);
  m->set_sector(e.sector);
  m->set_contract_type(contract);
  m->set_start_date(Today());
  m->set_monthly_wage_mad(Wage(p.rng, contract));
  if (!Execute(p.case_id, "RecordPlacement", m, p.caseworker)) return;
  p.emp = Emp::kPlaced;
  ++p.emp_gen;                                       // follow-ups of an earlier job lapse
  p.job_ends = EndsAfter(p.rng, today_, 10, 8, 10);  // % of jobs lost by 3, 6, 12 months
  PlanFollowUps(p.rng, Index(p), TaskKind::kEmployment, kEmpFollowUp3, p.emp_gen, p.epoch);
}

void Simulation::EmploymentFollowUp(Participant& p, int milestone) {
  if (p.emp != Emp::kPlaced) return;
  const bool employed = today_ < p.job_ends;
  auto m = std::make_shared<wf::RecordEmploymentFollowUp>();
  m->set_milestone(kMilestones[milestone]);
  m->set_followed_up_on(Today());
  m->set_still_employed(employed);
  if (employed) m->set_monthly_wage_mad(static_cast<double>(p.rng.Between(58, 100) * 50));
  if (!Execute(p.case_id, "RecordEmploymentFollowUp", m, p.caseworker)) return;
  if (!employed) {
    p.emp = Emp::kJobSearch;
    ++p.emp_gen;
    if (p.rng.Chance(0.5)) {
      Later(p, 30, 150, TaskKind::kEmployment, kEmpPlace, p.emp_gen);
    } else {
      CloseLater(p, 60, 200,
                 {{Outcome::kNotYet, 60}, {Outcome::kPartly, 20}, {Outcome::kDroppedOut, 20}});
    }
  } else if (milestone == 2) {
    p.emp = Emp::kCompleted;
    CloseLater(p, 7, 40, {{Outcome::kSelfReliant, 70}, {Outcome::kPartly, 30}});
  }
}

}  // namespace piseruma::demo
