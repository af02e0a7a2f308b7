// The synthetic programme behind the projection benchmarks (synthetic_programme.h): the
// simulation's days, registration, the case steps and closure (the pathways and the
// cooperatives are in synthetic_pathways.cc).
#include "bench/synthetic_programme.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "bench/synthetic_simulation.h"
#include "workflows/dates.h"
#include "workflows/message_fields.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::bench {
namespace synthetic {

using namespace workflows;  // command messages

void Die(const std::string& what) {
  std::fprintf(stderr, "synthetic programme: %s\n", what.c_str());
  std::abort();
}

void Programme::Run(uint64_t target_events) {
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

// Appends one event: header moves `machine` from its state to `to` (empty: no move).
void Programme::Emit(const std::string& stream, std::map<std::string, std::string>& machines,
                     const std::string& type, const std::string& machine, const std::string& to,
                     google::protobuf::Message& data, DomainEvent header) {
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

DomainEvent Programme::Deadlines(std::initializer_list<std::pair<const char*, int>> started,
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

DomainEvent Programme::FollowUpsStarted(const std::string& prefix, const char* machine) const {
  static constexpr int kDays[] = {90, 180, 365};
  DomainEvent h;
  for (int i = 0; i < 3; ++i) {
    auto* d = h.add_deadlines_started();
    d->set_name(prefix + kFollowUpDeadlines[i]);
    d->set_machine(machine);
    d->set_due_on(FormatDate(*ParseDate(today_) + kDays[i]));
  }
  return h;
}

DomainEvent Programme::FollowUpMet(const std::string& prefix, int follow_up) {
  DomainEvent h;
  h.add_deadlines_met(prefix + kFollowUpDeadlines[follow_up]);
  return h;
}

void Programme::Register() {
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

void Programme::Step(SimCase& c) {
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

bool Programme::Terminal(const std::string& machine, const std::string& state) {
  return state == "completed" || state == "rejected" || state == "stopped" ||
         state == "established" || state == "dropped_out" || state == "oriented_onward" ||
         (machine == "cooperative_membership" && state == "member");
}

void Programme::Assess(SimCase& c, const char* kind) {
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

void Programme::Close(SimCase& c) {
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

}  // namespace synthetic

std::shared_ptr<const workflows::WorkflowRegistry> Registry() {
  static auto reg = [] {
    auto r = workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir());
    if (!r.ok()) synthetic::Die(r.status().ToString());
    return *r;
  }();
  return reg;
}

uint64_t WriteSyntheticProgramme(engine::EventLog& log, engine::ManualClock& clock, uint64_t seed,
                                 uint64_t events) {
  synthetic::Programme programme(log, clock, seed);
  programme.Run(events);
  return programme.written();
}

}  // namespace piseruma::bench
