// The auditor's subcommands, for offline audit of a data directory or a backup restored
// into one, and of exported files: replay (a case's timeline and its state as of a
// moment), audit-file (export a case's audit file), verify-file (check one, no server).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/audit/audit_file.h"
#include "api/audit/checkpoint_signer.h"
#include "api/audit/history.h"
#include "api/audit/summaries.h"
#include "api/case_view.h"
#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "engine/clock.h"
#include "workflows/command_service.h"
#include "workflows/dates.h"
#include "workflows/decider.h"
#include "workflows/registry.h"

namespace piseruma::cli {
namespace {

std::string Label(const boost::json::value& label) {
  if (!label.is_object()) return "";
  return std::string(label.at("fr").as_string()) + " / " + std::string(label.at("en").as_string());
}

void PrintState(const workflows::WorkflowRegistry& registry, const workflows::StreamState& state,
                const std::string& case_id, workflows::Day today) {
  const boost::json::object o = api::StreamJson(registry, state);
  std::printf("\nÉtat / state (version %llu, %s):\n",
              static_cast<unsigned long long>(state.version()),
              workflows::FormatDate(today).c_str());
  for (const auto& m : o.at("workflows").as_array()) {
    std::printf(
        "  %-24s %s%s\n", std::string(m.at("workflow").as_string()).c_str(),
        m.as_object().contains("state_label") ? Label(m.at("state_label")).c_str()
                                              : std::string(m.at("state").as_string()).c_str(),
        (" (v" + std::to_string(m.at("definition_version").to_number<uint64_t>()) + ")").c_str());
  }
  for (const auto& d : o.at("deadlines").as_array()) {
    std::printf("  échéance / deadline  %s due %s%s\n",
                std::string(d.at("name").as_string()).c_str(),
                std::string(d.at("due_on").as_string()).c_str(),
                d.at("overdue").as_bool() ? " OVERDUE" : "");
  }
  const workflows::UserContext caseworker{"replay", "caseworker", {workflows::StreamCity(state)}};
  std::printf("Étapes suivantes / next steps (for a caseworker of the city):\n");
  for (const auto& step : workflows::NextSteps(registry, state, case_id, caseworker, today)) {
    std::printf("  %s%s\n", step.command.c_str(), step.blocked_by.empty() ? "" : " (blocked)");
  }
}

}  // namespace

int RunReplay(int argc, char** argv) {
  Flags f("replay",
          "Print a case's timeline (with its cooperatives) and its state as of a moment, "
          "rebuilt by replay. Personal fields stay sealed.");
  f.Add("data", "the data directory", "./data", "PISERUMA_DATA");
  f.Add("case", "the case id, e.g. case-7K2M9Q4A; required", "");
  f.Add("as-of", "a log position or an RFC 3339 time (default: now)", "");
  if (int rc = ParseOrExit(f, argc, argv, "replay"); rc >= 0) return rc;
  const std::string id = f.Get("case");
  if (id.empty()) return Fail("replay", "--case is required (e.g. --case case-7K2M9Q4A)");
  auto registry = workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir());
  if (!registry.ok()) return Fail("replay", registry.status().message());
  auto log = OpenReadOnly(f.Get("data"));
  if (!log.ok()) return Fail("replay", log.status().message());
  auto own = api::audit::CaseEvents(**log, id, {}, false);
  if (!own.ok()) return Fail("replay", own.status().message());
  if (own->empty()) return Fail("replay", id + " has no events in " + f.Get("data"));
  const std::string when =
      f.Get("as-of").empty() ? std::to_string((*log)->HeadPosition()) : f.Get("as-of");
  auto as_of = api::audit::ResolveAsOf(*own, when);
  if (!as_of.ok()) return Fail("replay", as_of.status().message());
  auto events = api::audit::CaseEvents(**log, id, api::audit::CooperativesOf(*own), false);
  if (!events.ok()) return Fail("replay", events.status().message());
  std::printf("%s — as of %s (position %llu)\n", id.c_str(), when.c_str(),
              static_cast<unsigned long long>(as_of->position));
  for (const auto& e : *events) {
    const auto& env = e.envelope;
    if (env.position() > as_of->position) break;
    const auto s = api::audit::Summarize(env.event_type(), api::audit::PublicDataJson(e));
    std::printf("%8llu  %s  %-14s %-10s %-28s %s\n          %s\n",
                static_cast<unsigned long long>(env.position()),
                engine::FormatRfc3339Micros(env.recorded_at_us()).c_str(),
                env.actor().user_id().c_str(), env.actor().role().c_str(), env.event_type().c_str(),
                s.fr.c_str(), s.en.c_str());
  }
  workflows::CommandService service(log->get(), *registry, engine::SystemClock::Default());
  auto state = service.LoadAsOf(id, as_of->position);
  if (!state.ok()) return Fail("replay", state.status().message());
  PrintState(**registry, *state, id, workflows::DayInMorocco(as_of->at_micros));
  auto erasure = api::audit::ErasureJson(**log, id);
  if (erasure.ok() && !erasure->is_null())
    std::printf("\nEffacement / erasure: %s\n", boost::json::serialize(*erasure).c_str());
  return 0;
}

int RunAuditFile(int argc, char** argv) {
  Flags f("audit-file",
          "Export a case's audit file (events, their hashes, the latest signed checkpoint and "
          "the chain linking them) from a data directory or restored backup. Check it with "
          "`piseruma verify-file`.");
  f.Add("data", "the data directory", "./data", "PISERUMA_DATA");
  f.Add("case", "the case id; required", "");
  f.Add("out", "the file to write (default: CASE.audit.json)", "");
  if (int rc = ParseOrExit(f, argc, argv, "audit-file"); rc >= 0) return rc;
  const std::string id = f.Get("case");
  if (id.empty()) return Fail("audit-file", "--case is required");
  auto log = OpenReadOnly(f.Get("data"));
  if (!log.ok()) return Fail("audit-file", log.status().message());
  auto cp = api::audit::LatestCheckpoint(**log);
  if (!cp.ok()) return Fail("audit-file", cp.status().message());
  auto file = api::audit::BuildAuditFile(**log, id, *cp, "cli");
  if (!file.ok()) return Fail("audit-file", file.status().message());
  const std::string out = f.Get("out").empty() ? id + ".audit.json" : f.Get("out");
  std::ofstream o(out, std::ios::binary | std::ios::trunc);
  o << boost::json::serialize(*file) << "\n";
  if (!o.flush()) return Fail("audit-file", "cannot write " + out);
  std::printf(
      "%s written (%zu events)%s\n", out.c_str(), file->at("events").as_array().size(),
      *cp ? "" : "; no signed checkpoint yet: ask the server for one (POST /v1/audit/checkpoints)");
  return 0;
}

int RunVerifyFile(int argc, char** argv) {
  Flags f(
      "verify-file",
      "Check an audit file without the server: recompute every event's hash, the chain to the "
      "signed "
      "checkpoint and its Ed25519 signature. Exit 0 when everything is proven, 1 on any finding.");
  f.AddPositional("FILE", "the audit file");
  f.Add("public-key", "the server's published checkpoint key (hex); checked when given", "");
  if (int rc = ParseOrExit(f, argc, argv, "verify-file"); rc >= 0) return rc;
  std::ifstream in(f.Get("FILE"), std::ios::binary);
  if (!in) return Fail("verify-file", "cannot read " + f.Get("FILE"));
  std::stringstream text;
  text << in.rdbuf();
  auto v = api::audit::VerifyAuditFile(text.str(), f.Get("public-key"));
  if (!v.ok()) return Fail("verify-file", v.status().message());
  if (!v->intact) {
    std::printf("ALTÉRÉ / ALTERED at position %llu: %s\n",
                static_cast<unsigned long long>(v->first_broken_position), v->problem.c_str());
    return 1;
  }
  std::printf("intact: %llu events, %llu positions chained, checkpoint at %llu signed by %s\n",
              static_cast<unsigned long long>(v->events),
              static_cast<unsigned long long>(v->chained),
              static_cast<unsigned long long>(v->checkpoint_position), v->public_key_hex.c_str());
  for (const auto& n : v->notes) std::printf("note: %s\n", n.c_str());
  return v->covered ? 0 : 1;
}

}  // namespace piseruma::cli
