#include "tests/support/log_helpers.h"

namespace piseruma::testing {

engine::AppendRequest Single(const std::string& command_id, const std::string& stream,
                             engine::ExpectedVersion expected, const std::vector<std::string>& types) {
  engine::AppendRequest req;
  req.command_id = command_id;
  req.actor.set_user_id("u-test");
  req.actor.set_role("caseworker");
  engine::StreamWrite write{stream, expected, {}};
  for (const auto& t : types) write.events.push_back({.type = t, .payload = "payload-of-" + t});
  req.writes.push_back(std::move(write));
  return req;
}

std::unique_ptr<engine::EventLog> OpenLog(const std::string& dir, engine::Clock* clock,
                                          engine::RandomSource* random) {
  engine::Options o;
  o.data_dir = dir;
  if (clock) o.clock = clock;
  if (random) o.random = random;
  auto log = engine::EventLog::Open(o);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

std::string History(const engine::EventLog& log, const std::string& stream) {
  auto events = log.ReadStream({.stream_id = stream});
  if (!events.ok()) return events.status().ToString();
  std::string out;
  for (const auto& e : *events) {
    if (!out.empty()) out += " ";
    out += e.envelope.event_type() + "@" + std::to_string(e.envelope.stream_version());
  }
  return out;
}

std::string LogHistory(const engine::EventLog& log) {
  std::string out;
  uint64_t from = 1;
  while (true) {
    auto page = log.ReadAll({.from_position = from});
    if (!page.ok()) return page.status().ToString();
    for (const auto& e : page->events) {
      if (!out.empty()) out += " ";
      out += e.envelope.stream_id() + ":" + e.envelope.event_type() + "@" +
             std::to_string(e.envelope.stream_version());
    }
    if (page->events.empty()) break;
    from = page->next_position;
  }
  return out;
}

}  // namespace piseruma::testing
