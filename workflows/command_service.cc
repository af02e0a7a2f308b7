#include "workflows/command_service.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include "workflows/case_state.h"
#include "workflows/command_json.h"
#include "workflows/decider.h"
#include "workflows/message_fields.h"

namespace piseruma::workflows {
namespace {

// After a lost race on a stream (another command landed first, often in the same group
// commit), a jittered pause before the retry, growing with each attempt (up to ~16 ms), so
// the contenders' retries land in different batches instead of colliding again. It only
// delays; what is decided and written does not depend on it.
void PauseBeforeRetry(int attempt) {
  thread_local std::minstd_rand jitter(static_cast<unsigned>(
      std::hash<std::thread::id>()(std::this_thread::get_id()) ^
      static_cast<size_t>(std::chrono::steady_clock::now().time_since_epoch().count())));
  const int ceiling_us = 250 << std::min(attempt - 1, 6);
  std::this_thread::sleep_for(std::chrono::microseconds(jitter() % ceiling_us));
}
constexpr const char* kSnapshotType = "StreamState/v1";

engine::AppendRequest ToAppend(const CommandRequest& req, const Decision& d) {
  engine::AppendRequest out;
  out.command_id = req.command_id;
  out.actor.set_user_id(req.user.user_id);
  out.actor.set_role(req.user.role);
  out.correlation_id = req.correlation_id;
  for (const StreamDecision& w : d.writes) {
    engine::StreamWrite write{w.stream_id,
                              w.expected_version == 0
                                  ? engine::ExpectedVersion::NoStream()
                                  : engine::ExpectedVersion::Exactly(w.expected_version),
                              {}};
    for (const EventToWrite& e : w.events) {
      std::unique_ptr<google::protobuf::Message> data(e.data->New());
      data->CopyFrom(*e.data);
      engine::NewEvent ev;
      ev.type = e.type;
      ev.personal = ExtractPersonal(data.get());
      if (RootMachineOf(w.stream_id) == "case") ev.subject = w.stream_id;
      DomainEvent header = e.header;
      header.mutable_data()->PackFrom(*data);
      ev.payload = header.SerializeAsString();
      write.events.push_back(std::move(ev));
    }
    out.writes.push_back(std::move(write));
  }
  return out;
}

}  // namespace

CommandService::CommandService(engine::EventLog* log,
                               std::shared_ptr<const WorkflowRegistry> registry,
                               engine::Clock* clock, size_t cached_streams,
                               std::chrono::milliseconds retry_budget)
    : log_(log),
      registry_(std::move(registry)),
      clock_(clock),
      retry_budget_(retry_budget),
      cache_(cached_streams) {}

Day CommandService::Today() const { return DayInMorocco(clock_->NowMicros()); }

Result<StreamState> CommandService::Load(const std::string& stream_id) const {
  PSR_ASSIGN_OR_RETURN(auto state, LoadShared(stream_id));
  return *state;
}

// The newest of the cached state and the snapshot, then every event after it from the log:
// the result is what replaying the whole stream now would give.
Result<std::shared_ptr<const StreamState>> CommandService::LoadShared(
    const std::string& stream_id) const {
  std::shared_ptr<const StreamState> base = cache_.Find(stream_id);
  if (base) {
    // Most loads find the stream where the cache left it: the log's committed version says
    // so (from memory, mostly), and spares the iterator that reading its empty tail opens.
    auto version = log_->StreamVersion(stream_id);
    if (version.ok() && *version == base->version()) return base;
  } else {
    auto fresh = std::make_shared<StreamState>();
    PSR_ASSIGN_OR_RETURN(auto snapshot, log_->LoadSnapshot(stream_id));
    if (!snapshot || snapshot->state_type() != kSnapshotType ||
        !fresh->ParseFromString(snapshot->state()) || fresh->version() != snapshot->version()) {
      fresh->Clear();
    }
    base = std::move(fresh);
  }
  tail_reads_.fetch_add(1, std::memory_order_relaxed);
  std::shared_ptr<StreamState> folded;  // a copy of `base`, made only when there is news
  while (true) {
    const uint64_t from = (folded ? folded->version() : base->version()) + 1;
    PSR_ASSIGN_OR_RETURN(
        auto events,
        log_->ReadStream({.stream_id = stream_id, .from_version = from, .limit = 1000}));
    if (events.empty()) break;
    if (!folded) folded = std::make_shared<StreamState>(*base);
    PSR_RETURN_IF_ERROR(Fold(folded.get(), events));
  }
  if (folded) base = std::move(folded);
  cache_.Offer(base);
  return base;
}

Result<StreamState> CommandService::LoadAsOf(const std::string& stream_id,
                                             uint64_t position) const {
  StreamState state;
  while (true) {
    PSR_ASSIGN_OR_RETURN(auto events, log_->ReadStream({.stream_id = stream_id,
                                                        .from_version = state.version() + 1,
                                                        .limit = 1000}));
    if (events.empty()) break;
    for (const auto& e : events) {
      if (e.envelope.position() > position) return state;
      PSR_RETURN_IF_ERROR(Evolve(&state, e.envelope));
    }
  }
  return state;
}

Result<CommandOutcome> CommandService::Execute(const CommandRequest& request) const {
  if (request.command_id.empty())
    return Status::InvalidArgument("a command id (Idempotency-Key) is required");
  PSR_ASSIGN_OR_RETURN(auto seen, log_->FindCommand(request.command_id));
  if (seen) {
    CommandOutcome replay{*seen, 0, {}};
    for (const auto& s : seen->streams) {
      if (s.stream_id == request.stream_id) replay.version = s.new_version;
    }
    return replay;
  }
  std::shared_ptr<const google::protobuf::Message> command = request.data;
  if (!command) {
    PSR_ASSIGN_OR_RETURN(auto parsed, ParseCommandJson(request.command, request.data_json));
    command = std::move(parsed);
  } else if (command->GetDescriptor()->full_name() != CommandTypeName(request.command)) {
    return Status::InvalidArgument("data is a " + command->GetDescriptor()->name() + ", not a " +
                                   request.command);
  }
  // The caller's state spares the first load, if it is the state this request is about.
  std::shared_ptr<const StreamState> preloaded = request.state;
  if (preloaded &&
      (preloaded->stream_id() != request.stream_id ||
       (request.expected_version && *request.expected_version != preloaded->version()))) {
    preloaded = nullptr;
  }
  const auto give_up = std::chrono::steady_clock::now() + retry_budget_;
  for (int attempt = 1;; ++attempt) {
    auto outcome = Attempt(request, *command, attempt == 1 ? preloaded : nullptr);
    const bool conflict = !outcome.ok() && outcome.status().code() == StatusCode::kAborted;
    if (!conflict || request.expected_version || std::chrono::steady_clock::now() >= give_up)
      return outcome;
    PauseBeforeRetry(attempt);
  }
}

Result<CommandOutcome> CommandService::Attempt(const CommandRequest& req,
                                               const google::protobuf::Message& command,
                                               std::shared_ptr<const StreamState> loaded) const {
  if (!loaded) {
    PSR_ASSIGN_OR_RETURN(loaded, LoadShared(req.stream_id));
  }
  const StreamState& state = *loaded;
  if (req.expected_version && *req.expected_version != state.version()) {
    return Status::Aborted(req.stream_id + " is at version " + std::to_string(state.version()) +
                           ", not " + std::to_string(*req.expected_version) +
                           ": reload and try again")
        .SetConflict(req.stream_id, state.version());
  }
  StreamLoader loader = [this](const std::string& id) { return Load(id); };
  PSR_ASSIGN_OR_RETURN(Decision decision, Decide({*registry_, req.stream_id, state, req.user,
                                                  req.command, command, Today(), loader}));
  engine::AppendRequest append = ToAppend(req, decision);
  Result<engine::AppendResult> result = Status::Internal("unreachable");
  if (!decision.forget_subject.empty()) {
    engine::ForgetRequest forget;
    forget.subject = decision.forget_subject;
    forget.actor = append.actor;
    forget.request_ref = decision.forget_request_ref;
    forget.command_id = append.command_id;
    forget.also_append = std::move(append.writes);
    result = log_->Forget(std::move(forget));
  } else {
    result = log_->Append(std::move(append));
  }
  if (!result.ok()) return result.status();

  if (!result->replayed) RememberAppended(req.stream_id, state, *result);
  CommandOutcome out{std::move(*result), 0, {}};
  for (const engine::StreamAppendResult& s : out.append.streams) {
    if (s.stream_id == req.stream_id) out.version = s.new_version;
  }
  // The decision's events as written (an erasure's answer also holds the engine's own
  // record of it, in a stream of its own: not one this command decided).
  for (const engine::Envelope& e : out.append.events) {
    for (const StreamDecision& w : decision.writes) {
      if (w.stream_id != e.stream_id()) continue;
      out.events.push_back({e.stream_id(), e.stream_version(), e.position(), e.event_type()});
      break;
    }
  }
  // A snapshot is a cache: failing to save one costs only replay time later.
  if (!out.append.replayed) (void)MaybeSnapshot(req.stream_id, state, out.version);
  return out;
}

void CommandService::RememberAppended(const std::string& stream_id, const StreamState& before,
                                      const engine::AppendResult& appended) const {
  std::shared_ptr<StreamState> after;  // copied only if the stream was written
  for (const engine::Envelope& event : appended.events) {
    if (event.stream_id() != stream_id) continue;
    if (!after) after = std::make_shared<StreamState>(before);
    // Evolve refuses a version gap: then the cache is simply not updated.
    if (!Evolve(after.get(), event).ok()) return;
  }
  if (!after) return;  // a check-only write: the cached state, if any, is still current
  cache_.Offer(std::move(after));
}

Status CommandService::MaybeSnapshot(const std::string& stream_id, const StreamState& before,
                                     uint64_t version) const {
  if (version / kSnapshotEvery == before.version() / kSnapshotEvery) return Status::Ok();
  PSR_ASSIGN_OR_RETURN(StreamState now, Load(stream_id));
  engine::Snapshot snap;
  snap.set_stream_id(stream_id);
  snap.set_version(now.version());
  snap.set_state_type(kSnapshotType);
  snap.set_state(now.SerializeAsString());
  return log_->SaveSnapshot(snap);
}

Result<DecodedEvent> DecodeEvent(const engine::RecordedEvent& event) {
  DecodedEvent out;
  out.envelope = event.envelope;
  out.personal_state = event.personal_state;
  if (!out.header.ParseFromString(event.envelope.payload())) {
    return Status::DataLoss("event at position " + std::to_string(event.envelope.position()) +
                            " is not a domain event");
  }
  const std::string& url = out.header.data().type_url();
  const std::string type = url.substr(url.rfind('/') + 1);
  std::shared_ptr<google::protobuf::Message> data =
      NewCommandMessage(type.substr(type.rfind('.') + 1));
  if (!data || !data->ParseFromString(out.header.data().value())) {
    return Status::DataLoss("event at position " + std::to_string(event.envelope.position()) +
                            " has unreadable data");
  }
  if (!event.personal.empty()) RestorePersonal(data.get(), event.personal);
  out.header.clear_data();
  out.data = std::move(data);
  return out;
}

}  // namespace piseruma::workflows
