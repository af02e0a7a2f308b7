// GET /v1/events/stream: Server-Sent Events of new log events, each with its position as
// the SSE id (resume with Last-Event-ID), filtered to what the caller may see:
//   caseworkers and supervisors: events of cases and cooperatives in their cities;
//   auditors and admins: every case and cooperative event;
//   the committee: only that something changed (position and type, no stream id), so a
//   dashboard can refresh itself.
// Never payloads: a client fetches what it may read through the other endpoints.
#include <boost/json.hpp>

#include <charconv>
#include <mutex>

#include "api/app.h"
#include "api/problem.h"
#include "engine/clock.h"
#include "workflows/decider.h"

namespace piseruma::api {
namespace {

constexpr size_t kBatch = 200;

class LogEventSource : public EventSource {
 public:
  LogEventSource(App& app, User user, uint64_t from) : app_(app), user_(std::move(user)), next_(from) {}

  std::optional<std::string> Next() override {
    auto page = app_.deps().log->ReadAll({.from_position = next_, .limit = kBatch});
    if (!page.ok()) return std::nullopt;
    std::string out;
    for (const auto& e : page->events) {
      const std::string& stream = e.envelope.stream_id();
      const std::string root = workflows::RootMachineOf(stream);
      if (root.empty() || !Visible(stream)) continue;
      boost::json::object o{{"position", e.envelope.position()}, {"type", e.envelope.event_type()},
                            {"recorded_at", engine::FormatRfc3339Micros(e.envelope.recorded_at_us())}};
      if (user_.role != "committee") {
        o["stream_id"] = stream;
        o["version"] = e.envelope.stream_version();
      }
      out += "id: " + std::to_string(e.envelope.position()) + "\nevent: " + e.envelope.event_type() +
             "\ndata: " + boost::json::serialize(o) + "\n\n";
    }
    next_ = page->next_position;
    return out;
  }

 private:
  bool Visible(const std::string& stream) {
    if (user_.role != "caseworker" && user_.role != "supervisor") return true;
    auto it = city_.find(stream);
    if (it == city_.end() || it->second.empty()) {
      auto state = app_.deps().service->Load(stream);
      std::string city = state.ok() ? workflows::StreamCity(*state) : "";
      if (city_.size() > 100'000) city_.clear();
      it = city_.insert_or_assign(stream, city).first;
    }
    return user_.Context().InCity(it->second);
  }

  App& app_;
  User user_;
  uint64_t next_;
  std::map<std::string, std::string> city_;  // stream → city; owned by the stream's poller
};

}  // namespace

Response App::EventStream(Call& c) {
  uint64_t from = deps_.log->HeadPosition() + 1;
  std::string resume(c.request["Last-Event-ID"]);
  if (resume.empty()) resume = QueryValue(c, "last_event_id");
  if (!resume.empty()) {
    uint64_t last = 0;
    auto [end, ec] = std::from_chars(resume.data(), resume.data() + resume.size(), last);
    if (ec != std::errc() || end != resume.data() + resume.size()) {
      return Problem(Status::InvalidArgument("Last-Event-ID must be a log position (a whole number)"));
    }
    from = last + 1;
  }
  Response r;
  r.message.result(http::status::ok);
  r.events = std::make_shared<LogEventSource>(*this, *c.user, from);
  return r;
}

}  // namespace piseruma::api
