// RandomProgramme: drives a ProjectionHarness through a random but plausible programme —
// registrations of varied people, the steps guidance offers (with varied outcomes, reasons,
// amounts, contracts and SRI scores), cooperatives founded by five members, transfers,
// time passing, the deadline scheduler marking what is overdue, reopenings and erasures —
// so that the logs the projection tests fold look like the programme's.
//
//   RandomProgramme programme(&h, /*seed=*/7);
//   programme.Run(400);
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/projections/projection_harness.h"
#include "workflows/deadline_scheduler.h"

namespace piseruma::testing {

class RandomProgramme {
 public:
  RandomProgramme(ProjectionHarness* h, uint32_t seed);
  ~RandomProgramme();
  // Issues `steps` commands (some refused, as in real use). Returns how many were accepted.
  size_t Run(int steps);
  const std::vector<std::string>& cases() const { return cases_; }

 private:
  void Register();
  void Step();
  bool TryFoundCooperative();
  std::string Body(const std::string& command, const std::string& when);
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[rng_() % v.size()];
  }

  ProjectionHarness* h_;
  std::mt19937 rng_;
  std::vector<std::string> cases_;
  std::vector<std::string> coops_;
  std::unique_ptr<workflows::DeadlineScheduler> scheduler_;
  size_t accepted_ = 0;
};

}  // namespace piseruma::testing
