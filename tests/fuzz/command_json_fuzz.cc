// libFuzzer target: arbitrary JSON decoded into an arbitrary command and decided against a
// registered case — the path every API command takes — without a log. Decoding and deciding
// must refuse bad input with a Status, never crash.
#include <cstdint>
#include <string>

#include "workflows/command_json.h"
#include "workflows/command_service.h"
#include "workflows/decider.h"
#include "workflows/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace piseruma::workflows;
  static const auto registry = WorkflowRegistry::LoadDirectory(DefaultDefinitionsDir()).value();
  static const std::vector<std::string> commands = [] {
    std::vector<std::string> out = {"MarkDeadlineOverdue", "MigrateWorkflow", "ErasePersonalData",
                                    "Nope"};
    for (const auto& d : registry->all()) {
      for (const auto& t : d.transitions()) out.push_back(t.command());
    }
    return out;
  }();
  if (size < 2) return 0;
  const std::string& command = commands[data[0] % commands.size()];
  const std::string json(reinterpret_cast<const char*>(data + 1), size - 1);
  auto parsed = ParseCommandJson(command, json);
  if (!parsed.ok()) return 0;
  StreamState state;
  state.set_stream_id("case-FUZZ");
  if (data[0] & 0x80) {  // half the time, an existing registered case
    state.set_version(3);
    auto& m = (*state.mutable_machines())["case"];
    m.set_definition_version(1);
    m.set_state("registered");
    state.mutable_case_facts()->set_city("Rabat");
  }
  const UserContext user{"u-fuzz", (data[0] & 1) ? "caseworker" : "supervisor", {"Rabat"}};
  StreamLoader loader = [](const std::string&) -> piseruma::Result<StreamState> {
    return StreamState();
  };
  const std::string id = state.stream_id();
  auto decision = Decide(
      {*registry, id, state, user, command, **parsed, DayInMorocco(1'781'517'600'000'000), loader});
  (void)decision;
  return 0;
}
