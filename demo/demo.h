// piseruma demo: a realistic synthetic programme, simulated through the real command path.
//
// RunDemo opens a fresh event log at options.data_dir and lives through options.months of
// the programme from programme_start, day by day: participants (synthetic, see
// population.h) enter over the first ~20 months; caseworkers and supervisors (staff.h)
// register them, record consents and assessments, orient them to pathways and record every
// step — ANAPEC answering late or refusing, business plans sent back, training drop-outs,
// cooperatives that never register, follow-ups on time, late or missed, transfers,
// closures with every outcome, a few erasures. Every change is a command executed by
// workflows::CommandService as the acting user; the deadline scheduler runs weekly and
// marks what is overdue. Nothing is written around the workflows.
//
// Determinism: the simulated clock, the engine's random source (event ids, data keys,
// nonces) and every draw of the simulation derive from options.seed, so the same options
// give the same log, byte for byte (same hashes, same head hash).
//
// Thread-safety: RunDemo may be called from any thread; it owns everything it opens.
// Appends are not synced one by one (Options::durable_appends = false); the WAL is synced
// once at the end. A run that fails empties the directory again; a process killed midway
// leaves half a programme behind: delete the directory and start over.
//
//   DemoOptions options{.participants = 2000, .data_dir = "./data"};
//   PSR_ASSIGN_OR_RETURN(DemoReport report, RunDemo(options, [](uint64_t day, uint64_t days) {}));
//   for (const DemoUser& u : report.users) issue_token(u);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "demo/staff.h"
#include "engine/event_log.h"
#include "engine/status.h"

namespace piseruma::demo {

struct DemoOptions {
  uint64_t participants = 2000;
  uint32_t months = 24;  // simulated from programme_start
  uint64_t seed = 1;
  std::string data_dir = "./data";
  std::string definitions_dir;  // "" = this build's workflows/definitions
};

struct DemoReport {
  uint64_t participants = 0;  // registered
  uint64_t cooperatives = 0;  // founded
  uint64_t commands = 0;      // accepted commands, deadline marks included
  uint64_t events = 0;        // events in the log at the end
  uint64_t overdue_marked = 0;
  uint64_t transfers = 0;  // accepted
  uint64_t erasures = 0;
  std::map<std::string, uint64_t> closures_by_outcome;  // approved closures
  // Refusals: commands the workflows said no to. The demo provokes a few on purpose
  // (a referral attempted before the consent was recorded); any other is a bug of the demo.
  uint64_t expected_refusals = 0;
  uint64_t unexpected_refusals = 0;
  std::map<std::string, uint64_t> refusals_by_code;  // "FAILED_PRECONDITION" → n, all refusals
  std::vector<std::string> unexpected_examples;      // the first few, for diagnosis
  std::string first_day;                             // programme_start
  std::string last_day;                              // the last simulated day
  std::string head_hash;                             // hex, of the last event
  double elapsed_seconds = 0;
  std::vector<DemoUser> users;  // DemoStaff(participants, cities)
};

// The simulated days done and to do, reported after each simulated day.
using DemoProgressFn = engine::ProgressFn;

// Generates the programme into options.data_dir. kFailedPrecondition when the directory
// already holds anything (the demo never writes into existing data); kInvalidArgument for
// participants outside 1..10,000,000 or months outside 1..120; engine errors as they come.
Result<DemoReport> RunDemo(const DemoOptions& options, const DemoProgressFn& progress);

// The demo's users for these options, without running anything (same as report.users).
Result<std::vector<DemoUser>> DemoUsers(const DemoOptions& options);

}  // namespace piseruma::demo
