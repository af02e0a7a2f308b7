// The synthetic programme's pathways — employment, micro-projects, training — and its
// cooperatives, from founding to their follow-ups (bench/synthetic_simulation.h).
#include "bench/synthetic_programme.h"
#include "bench/synthetic_simulation.h"
#include "workflows/dates.h"
#include "workflows/proto/commands.pb.h"
#include "workflows/tahfiz.h"

namespace piseruma::bench::synthetic {

using namespace workflows;  // command messages

void Programme::Employment(SimCase& c, const std::string& state) {
  auto& ms = c.machines;
  if (state == "open" || state == "refused") {
    SendAnapecReferral m;
    m.set_sent_on(today_);
    m.set_agency(c.city);
    return Emit(c.id, ms, "AnapecReferralSent", "employment", "referred", m,
                Deadlines({{"anapec_answer", 15}}, "employment", {}, today_));
  }
  if (state == "referred") {
    if (Chance(0.15)) {
      RecordAnapecRefusal m;
      m.set_reason("documents missing");
      m.set_refused_on(today_);
      return Emit(c.id, ms, "AnapecRefusalRecorded", "employment", "refused", m,
                  Deadlines({}, "employment", {"anapec_answer"}, today_));
    }
    ConfirmAnapecRegistration m;
    m.set_anapec_id("ANP-" + c.id);
    m.set_confirmed_on(today_);
    return Emit(c.id, ms, "AnapecRegistrationConfirmed", "employment", "registered", m,
                Deadlines({}, "employment", {"anapec_answer"}, today_));
  }
  if ((state == "registered" || state == "job_search") && c.workshops < 2) {
    ++c.workshops;
    RecordWorkshopAttendance m;
    m.set_workshop("cv_writing");
    m.set_attended_on(today_);
    m.set_hours(3);
    return Emit(c.id, ms, "WorkshopAttended", "employment", "job_search", m);
  }
  if (state == "registered" || state == "job_search") {
    RecordPlacement m;
    m.set_employer_name("Synthetic Employer SARL");
    m.set_employer_created_on(Chance(0.5) ? "2021-03-01" : "2012-06-01");
    m.set_sector("textile");
    m.set_contract_type(Chance(0.5) ? "CDI" : "CDD");
    m.set_start_date(today_);
    m.set_monthly_wage_mad(Uniform(2800, 6000));
    *m.mutable_tahfiz() = AssessTahfiz(m, Registry()->params());
    c.follow_ups = 0;
    return Emit(c.id, ms, "PlacementRecorded", "employment", "placed", m,
                FollowUpsStarted("employment_follow_up_", "employment"));
  }
  if (state == "placed") {
    RecordEmploymentFollowUp m;
    m.set_milestone(kMilestones[c.follow_ups]);
    m.set_followed_up_on(today_);
    const bool still = !Chance(0.08);
    m.set_still_employed(still);
    m.set_monthly_wage_mad(3300);
    const std::string to = !still ? "job_search" : c.follow_ups == 2 ? "completed" : "";
    return Emit(c.id, ms, "EmploymentFollowUpRecorded", "employment", to, m,
                FollowUpMet("employment_follow_up_", c.follow_ups++));
  }
}

void Programme::Microproject(SimCase& c, const std::string& state) {
  auto& ms = c.machines;
  if (state == "open") {
    RecordEntrepreneurshipTraining m;
    m.set_provider("AMAPPE");
    m.set_start_date(today_);
    m.set_end_date(today_);
    m.set_hours(40);
    return Emit(c.id, ms, "EntrepreneurshipTrainingCompleted", "microproject", "trained", m);
  }
  if (state == "trained" || state == "revising") {
    SubmitBusinessPlan m;
    m.set_title("Épicerie");
    m.set_sector("retail");
    m.set_activity_type("commerce");
    m.set_requested_amount_mad(15000);
    m.set_submitted_on(today_);
    return Emit(c.id, ms, "BusinessPlanSubmitted", "microproject", "plan_submitted", m);
  }
  if (state == "plan_submitted") {
    ReviewBusinessPlan m;
    const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
    m.set_decision(r < 0.7 ? "approved" : r < 0.9 ? "revise" : "rejected");
    m.set_comments("Synthetic comments, sealed");
    m.set_reviewed_on(today_);
    return Emit(c.id, ms, "BusinessPlanReviewed", "microproject",
                m.decision() == "approved" ? "approved"
                : m.decision() == "revise" ? "revising"
                                           : "rejected",
                m);
  }
  if (state == "approved") {
    RecordFinancing m;
    m.set_kind(Chance(0.6) ? "grant" : "microcredit");
    m.set_institution(m.kind() == "grant" ? "UNHCR" : "Al Amana");
    m.set_amount_mad(Uniform(5000, 30000));
    m.set_decision(Chance(0.9) ? "granted" : "refused");
    m.set_decided_on(today_);
    return Emit(c.id, ms, "FinancingDecided", "microproject",
                m.decision() == "granted" ? "financed" : "", m);
  }
  if (state == "financed" && Chance(0.7)) {
    RegisterAutoEntrepreneur m;
    m.set_ae_number("AE-" + c.id);
    m.set_activity_type("commerce");
    m.set_registered_on(today_);
    return Emit(c.id, ms, "AutoEntrepreneurRegistered", "microproject", "ae_registered", m);
  }
  if (state == "financed" || state == "ae_registered") {
    LaunchActivity m;
    m.set_launched_on(today_);
    c.follow_ups = 0;
    return Emit(c.id, ms, "ActivityLaunched", "microproject", "launched", m,
                FollowUpsStarted("business_follow_up_", "microproject"));
  }
  if (state == "launched") {
    RecordBusinessFollowUp m;
    m.set_milestone(kMilestones[c.follow_ups]);
    m.set_visited_on(today_);
    const bool still = !Chance(0.1);
    m.set_still_active(still);
    m.set_monthly_revenue_mad(2500);
    const std::string to = !still ? "stopped" : c.follow_ups == 2 ? "established" : "";
    return Emit(c.id, ms, "BusinessFollowUpRecorded", "microproject", to, m,
                FollowUpMet("business_follow_up_", c.follow_ups++));
  }
}

void Programme::Training(SimCase& c, const std::string& state) {
  auto& ms = c.machines;
  if (state == "open") {
    EnrollInTraining m;
    m.set_provider("OFPPT Rabat");
    m.set_course("couture");
    m.set_start_date(today_);
    m.set_end_date(FormatDate(*ParseDate(today_) + 120));
    return Emit(c.id, ms, "EnrolledInTraining", "training", "enrolled", m,
                Deadlines({{"training_outcome", 134}}, "training", {}, today_));
  }
  if ((state == "enrolled" || state == "attending") && c.workshops < 2) {
    ++c.workshops;
    RecordTrainingAttendance m;
    m.set_period_end(today_);
    m.set_hours_attended(30);
    m.set_hours_planned(40);
    return Emit(c.id, ms, "TrainingAttendanceRecorded", "training", "attending", m);
  }
  if (state == "enrolled" || state == "attending") {
    if (Chance(0.2)) {
      static const char* const reasons[] = {"employment_found", "health", "family", "moved",
                                            "lost_interest",    "other"};
      RecordTrainingDropout m;
      m.set_dropped_on(today_);
      m.set_reason(reasons[Uniform(0, 5)]);
      return Emit(c.id, ms, "TrainingDropoutRecorded", "training", "dropped_out", m,
                  Deadlines({}, "training", {"training_outcome"}, today_));
    }
    CompleteTraining m;
    m.set_completed_on(today_);
    m.set_certificate(Chance(0.8));
    return Emit(c.id, ms, "TrainingCompleted", "training", "completed", m,
                Deadlines({}, "training", {"training_outcome"}, today_));
  }
  if (state == "completed") {
    RecordOnwardOrientation m;
    m.set_toward("employment");
    m.set_oriented_on(today_);
    return Emit(c.id, ms, "OnwardOrientationRecorded", "training", "oriented_onward", m);
  }
}

void Programme::FoundCooperatives() {
  while (pool_.size() >= 5) {
    SimCoop coop;
    coop.id = "coop-B" + std::to_string(coops_.size() + 1);
    FoundCooperative m;
    m.set_proposed_name("Coopérative synthétique " + std::to_string(coops_.size() + 1));
    m.set_city(kCities[coops_.size() % 10]);
    m.set_activity("couture");
    m.set_founded_on(today_);
    for (int i = 0; i < 5; ++i) {
      m.add_member_case_ids(pool_.front());
      coop.members.push_back(pool_.front());
      pool_.pop_front();
    }
    Batch own;
    std::swap(own, batch_);
    Emit(coop.id, coop.machines, "CooperativeFounded", "cooperative", "forming", m);
    for (const auto& member : coop.members) {
      SimCase& c = cases_[std::stoul(member.substr(6)) - 1];
      c.cooperative = coop.id;
      JoinCooperative j;
      j.set_cooperative_id(coop.id);
      j.set_joined_on(today_);
      Emit(c.id, c.machines, "JoinedCooperative", "cooperative_membership", "member", j);
    }
    written_ += batch_.events();
    batch_.Flush(log_, &sequence_);
    std::swap(own, batch_);
    coops_.push_back(std::move(coop));
  }
}

void Programme::StepCooperative(SimCoop& coop) {
  if (batch_.Has(coop.id)) return;
  auto& ms = coop.machines;
  const std::string state = ms["cooperative"];
  if (state == "forming" && Chance(0.5)) {
    RecordOdcoAccompaniment m;
    m.set_session_on(today_);
    m.set_topic("statuts");
    m.set_hours(2);
    return Emit(coop.id, ms, "OdcoAccompanimentRecorded", "cooperative", "", m);
  }
  if (state != "registered" && state != "financed" && state != "operating" &&
      !Terminal("cooperative", state) && state != "abandoned" && Chance(0.03)) {
    AbandonCooperative m;
    m.set_reason("members left");
    m.set_abandoned_on(today_);
    return Emit(coop.id, ms, "CooperativeAbandoned", "cooperative", "abandoned", m);
  }
  if (state == "forming") {
    RecordNameApproval m;
    m.set_approved_name("Coopérative " + coop.id);
    m.set_certificate_number("CN-" + coop.id);
    m.set_approved_on(today_);
    return Emit(coop.id, ms, "CooperativeNameApproved", "cooperative", "name_approved", m);
  }
  if (state == "name_approved") {
    SignStatutes m;
    m.set_signed_on(today_);
    return Emit(coop.id, ms, "StatutesSigned", "cooperative", "statutes_signed", m);
  }
  if (state == "statutes_signed") {
    HoldConstitutiveAssembly m;
    m.set_held_on(today_);
    m.set_members_present(5);
    return Emit(coop.id, ms, "ConstitutiveAssemblyHeld", "cooperative", "constituted", m);
  }
  if (state == "constituted") {
    RecordCapitalPaid m;
    m.set_bank("Banque Populaire");
    m.set_paid_on(today_);
    m.set_capital_mad(5000);
    m.set_share_value_mad(100);
    return Emit(coop.id, ms, "CapitalPaid", "cooperative", "capital_paid", m);
  }
  if (state == "capital_paid") {
    RegisterCooperative m;
    m.set_local_register_number("RL-" + coop.id);
    m.set_odco_register_number("ODCO-" + coop.id);
    m.set_registered_on(today_);
    return Emit(coop.id, ms, "CooperativeRegistered", "cooperative", "registered", m);
  }
  if (state == "registered") {
    RecordCooperativeFinancing m;
    m.set_kind("grant");
    m.set_institution("INDH");
    m.set_amount_mad(50000);
    m.set_decision("granted");
    m.set_decided_on(today_);
    return Emit(coop.id, ms, "CooperativeFinancingDecided", "cooperative", "financed", m);
  }
  if (state == "financed") {
    StartCooperativeOperations m;
    m.set_started_on(today_);
    return Emit(coop.id, ms, "CooperativeOperationsStarted", "cooperative", "operating", m);
  }
  if (state == "operating") {
    RecordCooperativeFollowUp m;
    m.set_milestone(kMilestones[coop.follow_ups]);
    m.set_visited_on(today_);
    m.set_members_active(5);
    m.set_still_operating(true);
    return Emit(coop.id, ms, "CooperativeFollowUpRecorded", "cooperative",
                coop.follow_ups++ == 2 ? "established" : "", m);
  }
}

}  // namespace piseruma::bench::synthetic
