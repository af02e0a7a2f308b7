// A synthetic programme for benchmarks: cases registered every simulated day (cities and
// nationalities weighted like the real caseload), walked through their pathways, grouped
// into cooperatives. It is written straight with EventLog::Append in large batches (give the
// log durable_appends off), with DomainEvents shaped like the command service's (headers
// with the workflow moves and deadlines, command data with personal fields sealed). So a
// million events take a minute, not the hours a million commands would. The demo
// generator, which goes through commands, is in demo/.
//
//   engine::ManualClock clock(0);
//   auto log = engine::EventLog::Open({.data_dir = dir, .clock = &clock, .durable_appends =
//   false}); uint64_t written = bench::WriteSyntheticProgramme(**log, clock, 2024, 1'000'000);
#pragma once

#include <cstdint>
#include <memory>

#include "engine/clock.h"
#include "engine/event_log.h"
#include "workflows/registry.h"

namespace piseruma::bench {

// Appends days of the programme until at least `events` are written (the clock follows the
// simulated days); returns how many were. Aborts the benchmark on a failed append.
uint64_t WriteSyntheticProgramme(engine::EventLog& log, engine::ManualClock& clock, uint64_t seed,
                                 uint64_t events);

// The workflow definitions of the source tree, loaded once.
std::shared_ptr<const workflows::WorkflowRegistry> Registry();

}  // namespace piseruma::bench
