// The synthetic programme behind the projection benchmarks (synthetic_programme.h).
#include "bench/synthetic_programme.h"

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "workflows/dates.h"
#include "workflows/message_fields.h"
#include "workflows/proto/commands.pb.h"
#include "workflows/proto/events.pb.h"
#include "workflows/tahfiz.h"

namespace piseruma::bench {
namespace {

using namespace workflows;  // command messages

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "synthetic programme: %s\n", what.c_str());
  std::abort();
}

// ---- The synthetic programme ---------------------------------------------------------------

const char* const kCities[] = {"Rabat",   "Casablanca", "Oujda",  "Marrakech", "Fès",
                               "Kénitra", "Meknès",     "Tanger", "Tétouan",   "Agadir"};
const int kCityWeights[] = {1328, 923, 775, 488, 461, 422, 421, 250, 250, 250};
const char* const kNationalities[] = {"Syria",       "Central African Republic",
                                      "Yemen",       "Sudan",
                                      "South Sudan", "Côte d'Ivoire",
                                      "Guinea",      "DR Congo",
                                      "Palestine",   "Cameroon"};
const int kNationalityWeights[] = {5475, 1151, 565, 377, 261, 240, 139, 128, 122, 98};

// What the simulation keeps of one case.
struct SimCase {
  std::string id;
  std::string city;
  std::map<std::string, std::string> machines;  // workflow → state
  std::vector<std::string> pending;             // pathways chosen, not yet opened
  int consents = 0;
  int steps = 0;
  int workshops = 0;
  int follow_ups = 0;
  bool baseline = false, month6 = false, endline = false, closed = false, proposed = false;
  std::string cooperative;
};

struct SimCoop {
  std::string id;
  std::map<std::string, std::string> machines;
  std::vector<std::string> members;
  int follow_ups = 0;
};

// One day's worth of stream writes; each stream at most once per append.
class Batch {
 public:
  void Add(const std::string& stream, engine::NewEvent e) {
    auto [it, fresh] = index_.try_emplace(stream, writes_.size());
    if (fresh) writes_.push_back({stream, engine::ExpectedVersion::Any(), {}});
    writes_[it->second].events.push_back(std::move(e));
    ++events_;
  }
  bool Has(const std::string& stream) const { return index_.count(stream) > 0; }
  size_t events() const { return events_; }
  void Flush(engine::EventLog& log, uint64_t* sequence) {
    if (writes_.empty()) return;
    engine::AppendRequest req;
    req.command_id = "bench-" + std::to_string((*sequence)++);
    req.actor.set_user_id("u-bench");
    req.actor.set_role("caseworker");
    req.writes = std::move(writes_);
    auto r = log.Append(std::move(req));
    if (!r.ok()) Die(r.status().ToString());
    writes_.clear();
    index_.clear();
    events_ = 0;
  }

 private:
  std::vector<engine::StreamWrite> writes_;
  std::map<std::string, size_t> index_;
  size_t events_ = 0;
};

class Programme {
 public:
  Programme(engine::EventLog& log, engine::ManualClock& clock, uint64_t seed)
      : log_(log), clock_(clock), rng_(seed) {}

  void Run(uint64_t target_events) {
    Day day = *ParseDate("2024-11-01");
    while (written_ < target_events) {
      clock_.Set((day * 86'400 + 9 * 3'600) * 1'000'000);  // 10:00 in Morocco
      today_ = FormatDate(day);
      for (int i = 0; i < 52; ++i) Register();
      for (auto& c : cases_) {
        if (!c.closed && Chance(0.11)) Step(c);
        if (batch_.events() >= 2'000) Flush();
      }
      for (auto& coop : coops_) {
        if (Chance(0.08)) StepCooperative(coop);
      }
      FoundCooperatives();
      Flush();
      ++day;
    }
    if (Status s = log_.SyncWal(); !s.ok()) Die(s.ToString());
  }

  uint64_t written() const { return written_; }

 private:
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <size_t N>
  const char* Weighted(const char* const (&values)[N], const int (&weights)[N]) {
    std::discrete_distribution<size_t> d(std::begin(weights), std::end(weights));
    return values[d(rng_)];
  }

  void Flush() {
    written_ += batch_.events();
    batch_.Flush(log_, &sequence_);
  }

  // Appends one event: header moves `machine` from its state to `to` (empty: no move).
  void Emit(const std::string& stream, std::map<std::string, std::string>& machines,
            const std::string& type, const std::string& machine, const std::string& to,
            google::protobuf::Message& data, DomainEvent header = DomainEvent()) {
    if (!machine.empty()) {
      MachineChange* c = header.mutable_transition();
      c->set_machine(machine);
      c->set_definition_version(1);
      c->set_from_state(machines.count(machine) ? machines[machine] : "");
      c->set_to_state(to.empty() ? c->from_state() : to);
      machines[machine] = c->to_state();
    }
    engine::NewEvent e;
    e.type = type;
    e.personal = ExtractPersonal(&data);
    if (!e.personal.empty()) e.subject = stream;
    header.mutable_data()->PackFrom(data);
    e.payload = header.SerializeAsString();
    batch_.Add(stream, std::move(e));
  }

  static DomainEvent Deadlines(std::initializer_list<std::pair<const char*, int>> started,
                               const char* machine, std::initializer_list<const char*> met,
                               const std::string& from) {
    DomainEvent h;
    for (const auto& [name, days] : started) {
      auto* d = h.add_deadlines_started();
      d->set_name(name);
      d->set_machine(machine);
      d->set_due_on(FormatDate(*ParseDate(from) + days));
    }
    for (const char* m : met) h.add_deadlines_met(m);
    return h;
  }

  void Register() {
    SimCase c;
    char id[32];
    std::snprintf(id, sizeof id, "case-B%06zu", cases_.size() + 1);
    c.id = id;
    c.city = Weighted(kCities, kCityWeights);
    RegisterParticipant m;
    m.set_unhcr_id("MOR-" + std::to_string(100000 + cases_.size()));
    m.set_full_name("Synthetic Person " + std::to_string(cases_.size()));
    m.set_sex(Chance(0.38) ? "female" : Chance(0.97) ? "male" : "not_stated");
    m.set_date_of_birth("1990-01-01");
    m.set_nationality(Chance(0.9) ? Weighted(kNationalities, kNationalityWeights) : "Other");
    m.set_city(c.city);
    m.set_phone("+2126" + std::to_string(10000000 + cases_.size()));
    m.set_address("Synthetic street " + std::to_string(cases_.size()));
    m.set_education_level(Chance(0.5) ? "primary" : "secondary");
    m.set_household_size(static_cast<uint32_t>(Uniform(1, 7)));
    m.set_registered_on(today_);
    m.set_caseworker_id("u-cw-" + c.city.substr(0, 3) + "-" + std::to_string(Uniform(1, 4)));
    m.set_age_group(Chance(0.2) ? "18-24" : Chance(0.95) ? "25-59" : "60+");
    m.set_participant_code(c.city.substr(0, 3) + "-" + std::string(id + 5));
    m.set_with_disability(Chance(0.07));
    if (Chance(0.15)) m.add_specific_needs("single_parent");
    Emit(c.id, c.machines, "ParticipantRegistered", "case", "registered", m);
    const char* pathways[] = {"employment", "microproject", "training", "cooperative_membership"};
    c.pending.push_back(pathways[Uniform(0, 3)]);
    if (Chance(0.3)) {
      std::string second = pathways[Uniform(0, 2)];
      if (second != c.pending[0]) c.pending.push_back(second);
    }
    cases_.push_back(std::move(c));
  }

  void Step(SimCase& c) {
    if (batch_.Has(c.id)) return;
    ++c.steps;
    auto& ms = c.machines;
    if (c.consents < 5) {
      static const char* const purposes[][2] = {{"data_processing", "AMAPPE"},
                                                {"employment_referral", "ANAPEC"},
                                                {"training_referral", "TRAINING_PROVIDER"},
                                                {"cooperative_support", "ODCO"},
                                                {"microfinance_referral", "MFI"}};
      RecordConsent m;
      m.set_purpose(purposes[c.consents][0]);
      m.set_recipient(purposes[c.consents][1]);
      m.set_given_on(today_);
      Emit(c.id, ms, "ConsentRecorded", "case", "consented", m);
      ++c.consents;
      return;
    }
    if (!c.baseline) return Assess(c, "baseline");
    if (!c.pending.empty()) {
      OrientToPathway m;
      m.set_pathway(c.pending.back());
      m.set_oriented_on(today_);
      m.set_rationale("Synthetic rationale");
      DomainEvent h;
      auto* o = h.add_opened();
      o->set_machine(c.pending.back());
      o->set_definition_version(1);
      o->set_to_state("open");
      ms[c.pending.back()] = "open";
      c.pending.pop_back();
      return Emit(c.id, ms, "OrientedToPathway", "case", "active", m, h);
    }
    if (Chance(0.08)) {
      AddNote m;
      m.set_text("Synthetic note, sealed");
      m.set_noted_on(today_);
      return Emit(c.id, ms, "NoteAdded", "case", "", m);
    }
    if (!c.month6 && c.steps > 14) {
      c.month6 = true;
      return Assess(c, "month_6");
    }
    if (Chance(0.03)) {
      MarkDeadlineOverdue m;
      m.set_deadline("sri_month_12");
      m.set_due_on(today_);
      return Emit(c.id, ms, "DeadlineOverdue", "", "", m);
    }
    for (auto& [machine, state] : ms) {
      if (machine == "case" || Terminal(machine, state)) continue;
      if (machine == "employment") return Employment(c, state);
      if (machine == "microproject") return Microproject(c, state);
      if (machine == "training") return Training(c, state);
      if (machine == "cooperative_membership" && state == "open") {
        if (c.cooperative.empty() && std::find(pool_.begin(), pool_.end(), c.id) == pool_.end())
          pool_.push_back(c.id);
        if (c.steps < 40) return;  // waiting for a cooperative
      }
    }
    Close(c);
  }

  static bool Terminal(const std::string& machine, const std::string& state) {
    return state == "completed" || state == "rejected" || state == "stopped" ||
           state == "established" || state == "dropped_out" || state == "oriented_onward" ||
           (machine == "cooperative_membership" && state == "member");
  }

  void Assess(SimCase& c, const char* kind) {
    RecordAssessment m;
    m.set_kind(kind);
    m.set_assessed_on(today_);
    const auto* d = m.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_UINT32) {
        m.GetReflection()->SetUInt32(&m, d->field(i),
                                     static_cast<uint32_t>(Chance(0.05) ? 0 : Uniform(1, 5)));
      }
    }
    if (std::string(kind) == "baseline") {
      c.baseline = true;
      return Emit(c.id, c.machines, "AssessmentRecorded", "case", "assessed", m,
                  Deadlines({{"sri_month_6", 182}, {"sri_month_12", 365}}, "case", {}, today_));
    }
    if (std::string(kind) == "endline") c.endline = true;
    Emit(c.id, c.machines, "AssessmentRecorded", "case", "", m,
         Deadlines({}, "case", {std::string(kind) == "month_6" ? "sri_month_6" : "sri_month_12"},
                   today_));
  }

  void Employment(SimCase& c, const std::string& state) {
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
                  Deadlines({{"employment_follow_up_3m", 90},
                             {"employment_follow_up_6m", 180},
                             {"employment_follow_up_12m", 365}},
                            "employment", {}, today_));
    }
    if (state == "placed") {
      static const char* const milestones[] = {"month_3", "month_6", "month_12"};
      RecordEmploymentFollowUp m;
      m.set_milestone(milestones[c.follow_ups]);
      m.set_followed_up_on(today_);
      const bool still = !Chance(0.08);
      m.set_still_employed(still);
      m.set_monthly_wage_mad(3300);
      const std::string met = std::string("employment_follow_up_") + (c.follow_ups == 0   ? "3m"
                                                                      : c.follow_ups == 1 ? "6m"
                                                                                          : "12m");
      const std::string to = !still ? "job_search" : c.follow_ups == 2 ? "completed" : "";
      ++c.follow_ups;
      return Emit(c.id, ms, "EmploymentFollowUpRecorded", "employment", to, m,
                  Deadlines({}, "employment", {met.c_str()}, today_));
    }
  }

  void Microproject(SimCase& c, const std::string& state) {
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
                  Deadlines({{"business_follow_up_3m", 90},
                             {"business_follow_up_6m", 180},
                             {"business_follow_up_12m", 365}},
                            "microproject", {}, today_));
    }
    if (state == "launched") {
      static const char* const milestones[] = {"month_3", "month_6", "month_12"};
      RecordBusinessFollowUp m;
      m.set_milestone(milestones[c.follow_ups]);
      m.set_visited_on(today_);
      const bool still = !Chance(0.1);
      m.set_still_active(still);
      m.set_monthly_revenue_mad(2500);
      const std::string met = std::string("business_follow_up_") + (c.follow_ups == 0   ? "3m"
                                                                    : c.follow_ups == 1 ? "6m"
                                                                                        : "12m");
      const std::string to = !still ? "stopped" : c.follow_ups == 2 ? "established" : "";
      ++c.follow_ups;
      return Emit(c.id, ms, "BusinessFollowUpRecorded", "microproject", to, m,
                  Deadlines({}, "microproject", {met.c_str()}, today_));
    }
  }

  void Training(SimCase& c, const std::string& state) {
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

  void Close(SimCase& c) {
    if (!c.endline) return Assess(c, "endline");
    auto& ms = c.machines;
    if (!c.proposed) {
      const bool worked = ms["employment"] == "completed" || ms["microproject"] == "established";
      ProposeClosure m;
      const double r = std::uniform_real_distribution<double>(0, 1)(rng_);
      m.set_outcome(worked    ? (r < 0.8 ? "self_reliant" : "partly_self_reliant")
                    : r < 0.4 ? "not_yet"
                    : r < 0.6 ? "dropped_out"
                    : r < 0.8 ? "lost_contact"
                              : "resettled_or_moved");
      m.set_closed_on(today_);
      m.set_reason("Synthetic reason, sealed");
      c.proposed = true;
      return Emit(c.id, ms, "ClosureProposed", "case", "", m);
    }
    ApproveClosure m;
    m.set_approved_on(today_);
    c.closed = true;
    Emit(c.id, ms, "CaseClosed", "case", "closed", m);
  }

  void FoundCooperatives() {
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

  void StepCooperative(SimCoop& coop) {
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
      static const char* const milestones[] = {"month_3", "month_6", "month_12"};
      RecordCooperativeFollowUp m;
      m.set_milestone(milestones[coop.follow_ups]);
      m.set_visited_on(today_);
      m.set_members_active(5);
      m.set_still_operating(true);
      return Emit(coop.id, ms, "CooperativeFollowUpRecorded", "cooperative",
                  coop.follow_ups++ == 2 ? "established" : "", m);
    }
  }

  engine::EventLog& log_;
  engine::ManualClock& clock_;
  std::mt19937_64 rng_;
  std::string today_;
  std::deque<SimCase> cases_;
  std::vector<SimCoop> coops_;
  std::deque<std::string> pool_;  // cases waiting for a cooperative
  Batch batch_;
  uint64_t sequence_ = 0;
  uint64_t written_ = 0;
};

}  // namespace

std::shared_ptr<const WorkflowRegistry> Registry() {
  static auto reg = [] {
    auto r = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir());
    if (!r.ok()) Die(r.status().ToString());
    return *r;
  }();
  return reg;
}

uint64_t WriteSyntheticProgramme(engine::EventLog& log, engine::ManualClock& clock, uint64_t seed,
                                 uint64_t events) {
  Programme programme(log, clock, seed);
  programme.Run(events);
  return programme.written();
}

}  // namespace piseruma::bench
