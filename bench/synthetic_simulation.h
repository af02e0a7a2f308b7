// The simulation behind bench/synthetic_programme.h: the programme's shape (cities and
// nationalities weighted like the caseload), what it keeps of each case and cooperative, and
// the Programme that walks them day by day. Internal to the benchmarks: registration, the
// case steps and closure are in synthetic_programme.cc; the pathways and the cooperatives in
// synthetic_pathways.cc.
//
//   synthetic::Programme programme(log, clock, 2024);
//   programme.Run(1'000'000);
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/event_log.h"
#include "workflows/proto/events.pb.h"

namespace piseruma::bench::synthetic {

using workflows::DomainEvent;

// Aborts the benchmark: a synthetic write that fails is a bug, not a condition to handle.
[[noreturn]] void Die(const std::string& what);

inline constexpr const char* kCities[] = {"Rabat",   "Casablanca", "Oujda",  "Marrakech", "Fès",
                                          "Kénitra", "Meknès",     "Tanger", "Tétouan",   "Agadir"};
inline constexpr int kCityWeights[] = {1328, 923, 775, 488, 461, 422, 421, 250, 250, 250};
inline constexpr const char* kNationalities[] = {"Syria",       "Central African Republic",
                                                 "Yemen",       "Sudan",
                                                 "South Sudan", "Côte d'Ivoire",
                                                 "Guinea",      "DR Congo",
                                                 "Palestine",   "Cameroon"};
inline constexpr int kNationalityWeights[] = {5475, 1151, 565, 377, 261, 240, 139, 128, 122, 98};

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

  // Simulates days until at least `target_events` are written, then syncs the log.
  void Run(uint64_t target_events);
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
            google::protobuf::Message& data, DomainEvent header = DomainEvent());

  static DomainEvent Deadlines(std::initializer_list<std::pair<const char*, int>> started,
                               const char* machine, std::initializer_list<const char*> met,
                               const std::string& from);

  DomainEvent FollowUpsStarted(const std::string& prefix, const char* machine) const;
  static DomainEvent FollowUpMet(const std::string& prefix, int follow_up);

  // A case's life (synthetic_programme.cc).
  void Register();
  void Step(SimCase& c);
  static bool Terminal(const std::string& machine, const std::string& state);
  void Assess(SimCase& c, const char* kind);
  void Close(SimCase& c);

  // Its pathways, and the cooperatives (synthetic_pathways.cc).
  void Employment(SimCase& c, const std::string& state);
  void Microproject(SimCase& c, const std::string& state);
  void Training(SimCase& c, const std::string& state);
  void FoundCooperatives();
  void StepCooperative(SimCoop& coop);

  // The three follow-ups after a placement, a launch or a cooperative's start: their
  // milestones, and the deadlines <prefix>3m/6m/12m (90, 180, 365 days) they meet.
  static constexpr const char* kMilestones[] = {"month_3", "month_6", "month_12"};
  static constexpr const char* kFollowUpDeadlines[] = {"3m", "6m", "12m"};

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

}  // namespace piseruma::bench::synthetic
