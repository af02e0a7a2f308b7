// CommandService: how every command reaches the log — from the HTTP API, the demo and the
// deadline scheduler alike. Load the stream (a cached state, or the snapshot, + the events
// after it), decide, seal personal fields, append with the expected versions, snapshot long
// streams.
//
// Idempotency: a command id seen before returns its first answer without deciding again.
// Concurrency: without an expected version, a conflict (someone wrote in between) is
// retried by loading and deciding again, a bounded number of times; with one (HTTP
// If-Match), a mismatch is returned as kAborted carrying the actual version.
//
// Caching: states are kept in a bounded StreamStateCache — those loaded, and those a
// command leaves (its state moved on by the events it appended). A load first asks the log
// for the stream's committed version (from memory for streams written lately, else a point
// read); it reads the stream's newer events only when someone wrote behind the cache, so a
// cached state is never served stale.
//
// Thread-safety: safe to call from any thread; its only mutable state is the cache, which
// is internally synchronised.
//
//   CommandService svc(&log, registry, clock);
//   auto r = svc.Execute({.stream_id = "case-7K2M9Q4A", .command = "RecordConsent",
//                         .data_json = R"({"purpose":"employment_referral", …})",
//                         .command_id = "req-123", .user = caseworker});
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "engine/clock.h"
#include "engine/event_log.h"
#include "workflows/decision.h"
#include "workflows/versioned_cache.h"

namespace piseruma::workflows {

struct CommandRequest {
  std::string stream_id;
  std::string command;
  std::string data_json;  // the command's fields as JSON; ignored when `data` is set
  std::shared_ptr<const google::protobuf::Message> data;
  std::string command_id;
  std::optional<uint64_t> expected_version;
  std::string correlation_id;
  UserContext user;
  // Optional: the target stream's state as the caller just loaded it (LoadShared, and not
  // modified since: the state the command leaves is cached from it), to spare a second load. The
  // first attempt decides on it; if the stream moved on meanwhile, the append fails on its expected
  // version and the retry loads afresh. Ignored when it does not match `expected_version` or
  // `stream_id`.
  std::shared_ptr<const StreamState> state;
};

struct AppendedEvent {
  std::string stream_id;
  uint64_t version = 0;
  uint64_t position = 0;
  std::string type;
};

struct CommandOutcome {
  engine::AppendResult append;
  uint64_t version = 0;               // the target stream's version after the command
  std::vector<AppendedEvent> events;  // empty on an idempotent replay
};

// A stored domain event, decoded: header, and data with personal fields put back (or
// marked erased, or left out when the reader may not see them).
struct DecodedEvent {
  engine::Envelope envelope;
  DomainEvent header;
  std::shared_ptr<google::protobuf::Message> data;
  engine::PersonalState personal_state = engine::PersonalState::kNone;
};

class CommandService {
 public:
  // Streams whose decoded state is kept by default (a few KiB each).
  static constexpr size_t kDefaultCachedStreams = 8192;

  // How long a command without If-Match that keeps losing races on its stream is retried
  // before the conflict is answered.
  static constexpr std::chrono::milliseconds kDefaultRetryBudget{2000};

  // `log` and `clock` are not owned and must outlive the service. `cached_streams` = 0
  // turns the state cache off.
  CommandService(engine::EventLog* log, std::shared_ptr<const WorkflowRegistry> registry,
                 engine::Clock* clock, size_t cached_streams = kDefaultCachedStreams,
                 std::chrono::milliseconds retry_budget = kDefaultRetryBudget);

  Result<CommandOutcome> Execute(const CommandRequest& request) const;

  // The stream's current state (empty, version 0, when it has no events).
  Result<StreamState> Load(const std::string& stream_id) const;
  // The same, shared and immutable: no copy of the state is made.
  Result<std::shared_ptr<const StreamState>> LoadShared(const std::string& stream_id) const;
  // The state as it was after the last event at or before `position` (replay, no snapshot).
  Result<StreamState> LoadAsOf(const std::string& stream_id, uint64_t position) const;

  const WorkflowRegistry& registry() const { return *registry_; }
  engine::EventLog& log() const { return *log_; }
  Day Today() const;
  // Loads that had to read events from the log (a cold cache, or writes behind it).
  uint64_t tail_reads() const { return tail_reads_.load(std::memory_order_relaxed); }

  // Events between snapshots of a stream.
  static constexpr uint64_t kSnapshotEvery = 100;

 private:
  Result<CommandOutcome> Attempt(const CommandRequest& request,
                                 const google::protobuf::Message& command,
                                 std::shared_ptr<const StreamState> state) const;
  Status MaybeSnapshot(const std::string& stream_id, const StreamState& before,
                       uint64_t appended) const;
  // Caches `before` moved on by the events just appended to it, so the next load of the
  // stream finds the cache current.
  void RememberAppended(const std::string& stream_id, const StreamState& before,
                        const engine::AppendResult& appended) const;

  engine::EventLog* log_;
  std::shared_ptr<const WorkflowRegistry> registry_;
  engine::Clock* clock_;
  std::chrono::milliseconds retry_budget_;
  mutable StreamStateCache cache_;
  mutable std::atomic<uint64_t> tail_reads_{0};
};

// Decodes a stored event (personal values from the engine put back into the data).
Result<DecodedEvent> DecodeEvent(const engine::RecordedEvent& event);

}  // namespace piseruma::workflows
