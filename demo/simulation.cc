// The simulation's machinery: the agenda, the simulated clock, the staff and the one place
// where commands are executed (and refusals counted).
#include "demo/simulation.h"

#include <algorithm>

#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kMoroccoOffsetSeconds = 3600;   // UTC+1, as workflows/dates.h
constexpr int64_t kSchedulerAt = 8 * 3600;        // the deadline scheduler's weekly run, local time
constexpr int64_t kWorkStarts = 8 * 3600 + 1800;  // 08:30
constexpr int64_t kWorkHours = 9 * 3600;
constexpr int64_t kWorkEnds = 22 * 3600;  // commands never slip into the next day
constexpr int64_t kMaxSpacing = 12 * 60;
constexpr size_t kMaxExamples = 20;
// Participants enter over the first 5/6 of the programme (20 of 24 months); a first cohort
// (35%) in its first fifth, the others evenly.
constexpr double kFirstCohort = 0.35;
constexpr int kEmployers = 300;

const char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// "case-7K2M9Q4A": 40 bits, a bijection of the index, so ids never collide.
std::string StreamId(const char* prefix, uint64_t index, uint64_t key) {
  constexpr uint64_t kMask = (uint64_t{1} << 40) - 1;
  uint64_t x = (((index + 1) * 0x9E3779B97F4A7C15ull) ^ key) & kMask;
  std::string out(prefix);
  for (int i = 7; i >= 0; --i) out.push_back(kCrockford[(x >> (5 * i)) & 31]);
  return out;
}

int Weekday(Day d) { return static_cast<int>(((d + 4) % 7 + 7) % 7); }  // 0 = Sunday
bool WorkingDay(Day d) { return Weekday(d) != 0 && Weekday(d) != 6; }
Day NextWorkingDay(Day d) {
  while (!WorkingDay(d)) ++d;
  return d;
}
int64_t LocalMicros(Day day, int64_t seconds) {
  return (day * 86400 + seconds - kMoroccoOffsetSeconds) * kMicrosPerSecond;
}

bool Fatal(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kInternal ||
         code == StatusCode::kDataLoss || code == StatusCode::kResourceExhausted ||
         code == StatusCode::kAborted;
}

const std::vector<std::string> kSectors = {
    "textile",     "BTP",        "restauration", "centres d'appels",       "commerce",
    "agriculture", "hôtellerie", "logistique",   "services à la personne", "industrie automobile"};

std::vector<Employer> MakeEmployers(uint64_t seed, Day programme_start) {
  DemoRng rng(MixSeed(seed, "employers"));
  const Day y2000 = *workflows::ParseDate("2000-01-01");
  const Day y2015 = *workflows::ParseDate("2015-01-01");
  const Day y2023 = *workflows::ParseDate("2023-01-01");
  static const std::vector<std::string> kForms = {"SARL", "SA", "SARL AU"};
  static const uint32_t kPriorHires[] = {0, 1, 2, 4, 8, 11};
  std::vector<Employer> out;
  for (int k = 1; k <= kEmployers; ++k) {
    Employer e;
    e.name = "Entreprise Exemple " + std::to_string(k) + " " + rng.OneOf(kForms);
    char ice[32];
    std::snprintf(ice, sizeof ice, "ICE-DEMO-%06d", k);
    e.ice = ice;
    // A quarter created before the TAHFIZ window, half inside it, a quarter after it.
    switch (rng.Pick({25, 50, 25})) {
      case 0:
        e.created_on = workflows::FormatDate(rng.Between(y2000, y2015 - 1));
        break;
      case 1:
        e.created_on = workflows::FormatDate(rng.Between(y2015, y2023 - 1));
        break;
      default:
        e.created_on = workflows::FormatDate(rng.Between(y2023, programme_start - 30));
        break;
    }
    e.sector = rng.OneOf(kSectors);
    e.prior_tahfiz_hires = kPriorHires[rng.Pick({60, 15, 10, 5, 5, 5})];
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

Day EndsAfter(DemoRng& rng, Day start, uint32_t by_3m, uint32_t by_6m, uint32_t by_12m) {
  switch (rng.Pick({by_3m, by_6m, by_12m, 100 - by_3m - by_6m - by_12m})) {
    case 0:
      return start + rng.Between(20, 85);
    case 1:
      return start + rng.Between(95, 175);
    case 2:
      return start + rng.Between(185, 355);
    default:
      return start + 100000;
  }
}

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kSelfReliant:
      return "self_reliant";
    case Outcome::kPartly:
      return "partly_self_reliant";
    case Outcome::kNotYet:
      return "not_yet";
    case Outcome::kDroppedOut:
      return "dropped_out";
    case Outcome::kResettled:
      return "resettled_or_moved";
    case Outcome::kLostContact:
      return "lost_contact";
  }
  return "not_yet";
}

const char* PathwayName(Pathway p) {
  switch (p) {
    case Pathway::kEmployment:
      return "employment";
    case Pathway::kMicroproject:
      return "microproject";
    case Pathway::kTraining:
      return "training";
    case Pathway::kCooperative:
      return "cooperative_membership";
  }
  return "employment";
}

Simulation::Simulation(const DemoOptions& options, engine::EventLog* log,
                       engine::ManualClock* clock,
                       std::shared_ptr<const workflows::WorkflowRegistry> registry,
                       std::vector<DemoUser> staff, DemoReport* report)
    : options_(options),
      clock_(clock),
      registry_(registry),
      service_(log, registry, clock),
      scheduler_(&service_),
      report_(report),
      cities_(registry->params().cities().begin(), registry->params().cities().end()),
      population_(cities_),
      staff_(std::move(staff)),
      city_rng_(MixSeed(options.seed, "cities")) {
  caseworkers_by_city_.resize(cities_.size());
  supervisor_by_city_.assign(cities_.size(), 0);
  for (size_t u = 0; u < staff_.size(); ++u) {
    const DemoUser& user = staff_[u];
    users_.push_back(user.context());
    const auto index = static_cast<uint16_t>(u);
    if (user.user_id == "u-admin") admin_ = index;
    if (user.user_id == "u-coordinator") coordinator_ = index;
    for (const auto& city : user.cities) {
      const auto c =
          static_cast<size_t>(std::find(cities_.begin(), cities_.end(), city) - cities_.begin());
      if (c == cities_.size()) continue;
      if (user.role == "caseworker") caseworkers_by_city_[c].push_back(index);
      if (user.role == "supervisor" && user.user_id != "u-coordinator")
        supervisor_by_city_[c] = index;
    }
  }
  start_ = workflows::ParseDate(registry->params().programme_start()).value_or(0);
  end_ = workflows::AddMonths(start_, static_cast<int>(options.months));
  today_ = start_;
  tasks_per_day_.assign(static_cast<size_t>(end_ - start_), 0);
  employers_ = MakeEmployers(options.seed, start_);
  participants_.resize(options.participants);
  const uint64_t case_key = MixSeed(options.seed, "case-ids");
  for (size_t i = 0; i < participants_.size(); ++i) {
    participants_[i].case_id = StreamId("case-", i, case_key);
    participants_[i].rng = DemoRng(MixSeed(options.seed, i));
  }
  pools_.resize(cities_.size());
  pool_target_.assign(cities_.size(), 0);
  report_->first_day = workflows::FormatDate(start_);
}

Status Simulation::Run(const DemoProgressFn& progress) {
  ScheduleEntries();
  const auto total = static_cast<uint64_t>(end_ - start_);
  for (today_ = start_; today_ < end_; ++today_) {
    if (WorkingDay(today_)) {
      if (Weekday(today_) == 1) {
        clock_->Set(LocalMicros(today_, kSchedulerAt));
        PSR_RETURN_IF_ERROR(RunDeadlines());
      }
      BeginDay();
      if (Weekday(today_) == 1) FormCooperatives();
      while (!agenda_.empty() && agenda_.top().day == today_ && fatal_.ok()) {
        const Task task = agenda_.top();
        agenda_.pop();
        Dispatch(task);
      }
      PSR_RETURN_IF_ERROR(fatal_);
    }
    if (progress) progress(static_cast<uint64_t>(today_ - start_ + 1), total);
  }
  report_->last_day = workflows::FormatDate(end_ - 1);
  return Status::Ok();
}

void Simulation::ScheduleEntries() {
  const int months = std::max(1, static_cast<int>(options_.months) * 5 / 6);
  const int64_t window = workflows::AddMonths(start_, months) - start_;
  for (Participant& p : participants_) {
    const int64_t offset =
        p.rng.Chance(kFirstCohort) ? p.rng.Between(0, window / 5) : p.rng.Between(0, window - 1);
    p.entry_day = NextWorkingDay(start_ + offset);
    Schedule(p.entry_day, Index(p), TaskKind::kRegister, 0, 0, 0);
  }
}

void Simulation::Schedule(Day day, uint32_t subject, TaskKind kind, uint8_t arg, uint8_t gen,
                          uint16_t epoch) {
  day = NextWorkingDay(std::max(day, today_));
  if (day >= end_) return;  // after the programme: it simply does not happen
  agenda_.push({day, next_seq_++, subject, kind, arg, gen, epoch});
  ++tasks_per_day_[static_cast<size_t>(day - start_)];
}

void Simulation::Later(Participant& p, int min_days, int max_days, TaskKind kind, uint8_t arg,
                       uint8_t gen) {
  Schedule(today_ + p.rng.Between(min_days, max_days), Index(p), kind, arg, gen, p.epoch);
}

void Simulation::LaterCoop(Coop& c, int min_days, int max_days, Step step) {
  Schedule(today_ + c.rng.Between(min_days, max_days), Index(c), TaskKind::kCoop, step, c.gen, 0);
}

void Simulation::FollowUp(DemoRng& rng, int days, uint32_t subject, TaskKind kind, uint8_t arg,
                          uint8_t gen, uint16_t epoch) {
  const Day due = today_ + days;
  switch (rng.Pick({70, 20, 10})) {
    case 0:
      Schedule(due - rng.Between(0, 14), subject, kind, arg, gen, epoch);
      break;
    case 1:
      Schedule(due + rng.Between(3, 45), subject, kind, arg, gen, epoch);
      break;
    default:
      break;  // missed: the deadline turns overdue and stays so
  }
}

void Simulation::PlanFollowUps(DemoRng& rng, uint32_t subject, TaskKind kind, Step month_3,
                               uint8_t gen, uint16_t epoch) {
  const char* days[] = {"follow_up_3m_days", "follow_up_6m_days", "follow_up_12m_days"};
  for (int i = 0; i < 3; ++i)
    FollowUp(rng, Param(days[i]), subject, kind, static_cast<uint8_t>(month_3 + i), gen, epoch);
  Schedule(today_ + rng.Between(400, 430), subject, kind, static_cast<uint8_t>(month_3 + 3), gen,
           epoch);
}

void Simulation::BeginDay() {
  // Spread the day's work over the working hours (about three commands per task).
  const int64_t tasks = tasks_per_day_[static_cast<size_t>(today_ - start_)];
  const int64_t spacing = std::clamp<int64_t>(kWorkHours / (3 * tasks + 1), 1, kMaxSpacing);
  spacing_us_ = spacing * kMicrosPerSecond;
  cursor_us_ = LocalMicros(today_, kWorkStarts);
  day_end_us_ = LocalMicros(today_, kWorkEnds);
}

void Simulation::Dispatch(const Task& t) {
  if (t.kind == TaskKind::kCoop) {
    Coop& c = coops_[t.subject];
    if (t.gen == c.gen) CooperativeStep(c, static_cast<Step>(t.arg));
    return;
  }
  Participant& p = participants_[t.subject];
  if (t.epoch != p.epoch || p.erased) return;
  const bool in_pathway = p.stage == CaseStage::kActive && !p.closure_proposed;
  const auto step = static_cast<Step>(t.arg);
  switch (t.kind) {
    case TaskKind::kRegister:
      Register(p);
      break;
    case TaskKind::kConsent:
      FirstConsent(p);
      break;
    case TaskKind::kBaseline:
      RecordBaseline(p);
      break;
    case TaskKind::kOrient: {
      const bool ready =
          (p.stage == CaseStage::kAssessed || p.stage == CaseStage::kActive) && !p.closure_proposed;
      if (ready && PathwayAvailable(p, static_cast<Pathway>(t.arg)))
        OrientTo(p, static_cast<Pathway>(t.arg), false);
      break;
    }
    case TaskKind::kSri6:
      FollowUpSri(p, "month_6", p.rng.Chance(0.5) ? 3 : 2);
      break;
    case TaskKind::kSri12:
      FollowUpSri(p, "month_12", 3);
      break;
    case TaskKind::kExit:
      ProposeClosure(p, static_cast<Outcome>(t.arg));
      break;
    case TaskKind::kNote:
      AddNote(p, {});
      break;
    case TaskKind::kConference:
      HoldConference(p);
      break;
    case TaskKind::kTransferRequest:
      RequestTransfer(p);
      break;
    case TaskKind::kTransferAnswer:
      AnswerTransfer(p);
      break;
    case TaskKind::kProposeClosure:
      ProposeClosure(p, static_cast<Outcome>(t.arg));
      break;
    case TaskKind::kDecideClosure:
      DecideClosure(p);
      break;
    case TaskKind::kReopen:
      Reopen(p);
      break;
    case TaskKind::kErase:
      Erase(p);
      break;
    case TaskKind::kLeavePool:
      GiveUpWaiting(p);
      break;
    case TaskKind::kEmployment:
      if (in_pathway && t.gen == p.emp_gen) EmploymentStep(p, step);
      break;
    case TaskKind::kMicroproject:
      if (in_pathway && t.gen == p.micro_gen) MicroprojectStep(p, step);
      break;
    case TaskKind::kTraining:
      if (in_pathway && t.gen == p.train_gen) TrainingStep(p, step);
      break;
    case TaskKind::kCoop:
      break;
  }
}

Status Simulation::RunDeadlines() {
  // The index catches up on its own thread; RunOnce waits for it (bounded) and says so.
  for (int attempt = 0;; ++attempt) {
    auto fired = scheduler_.RunOnce();
    if (fired.ok()) {
      report_->overdue_marked += *fired;
      report_->commands += *fired;
      return Status::Ok();
    }
    if (fired.status().code() != StatusCode::kUnavailable || attempt == 10) return fired.status();
  }
}

bool Simulation::Execute(const std::string& stream, const char* command,
                         std::shared_ptr<const Message> data, uint16_t user, Expect expect) {
  if (!fatal_.ok()) return false;
  clock_->Set(cursor_us_);
  cursor_us_ =
      cursor_us_ + spacing_us_ <= day_end_us_ ? cursor_us_ + spacing_us_ : cursor_us_ + 1000;
  workflows::CommandRequest request{
      .stream_id = stream,
      .command = command,
      .data = std::move(data),
      .command_id = "demo-" + std::to_string(options_.seed) + "-" + std::to_string(++next_command_),
      .user = users_[user]};
  auto outcome = service_.Execute(request);
  if (outcome.ok() && expect == Expect::kAccepted) {
    ++report_->commands;
    return true;
  }
  if (!outcome.ok() && Fatal(outcome.status().code())) {
    fatal_ = outcome.status();
    return false;
  }
  if (!outcome.ok()) ++report_->refusals_by_code[StatusCodeName(outcome.status().code())];
  if (!outcome.ok() && expect == Expect::kRefused) {
    ++report_->expected_refusals;
    return false;
  }
  if (outcome.ok()) ++report_->commands;
  ++report_->unexpected_refusals;
  if (report_->unexpected_examples.size() < kMaxExamples) {
    report_->unexpected_examples.push_back(
        Today() + " " + command + " on " + stream + " by " + users_[user].user_id + ": " +
        (outcome.ok() ? std::string("accepted, although the demo expected a refusal")
                      : outcome.status().ToString()));
  }
  return outcome.ok();
}

uint16_t Simulation::Supervisor(uint8_t city, DemoRng& rng) const {
  return rng.Chance(0.1) ? coordinator_ : supervisor_by_city_[city];
}

uint16_t Simulation::AnyCaseworker(uint8_t city, DemoRng& rng) const {
  const auto& team = caseworkers_by_city_[city];
  return team[rng.Below(team.size())];
}

uint8_t Simulation::CityOf(uint16_t user) const {
  const auto& city = staff_[user].cities.front();
  return static_cast<uint8_t>(std::find(cities_.begin(), cities_.end(), city) - cities_.begin());
}

}  // namespace piseruma::demo
