// The value types of the event log's API: what an append asks for and what reads return.
//
// Thread-safety: plain values; intentionally copyable.
//
//   AppendRequest req{.command_id = "cmd-1", .actor = {"u-7", "caseworker"}};
//   req.writes.push_back({"case-17", ExpectedVersion::NoStream(),
//                         {NewEvent{.type = "Registered", .payload = bytes}}});
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/proto/envelope.pb.h"
#include "engine/status.h"

namespace piseruma::engine {

// What the writer expects a stream's version to be; the append fails with kAborted
// (carrying the actual version) when it is not.
class ExpectedVersion {
 public:
  enum class Kind { kAny, kNoStream, kExactly };

  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, 0); }
  static ExpectedVersion NoStream() { return ExpectedVersion(Kind::kNoStream, 0); }
  // REQUIRES: version >= 1 (a stream with events); use NoStream() for "absent".
  static ExpectedVersion Exactly(uint64_t version) {
    return ExpectedVersion(Kind::kExactly, version);
  }
  // "any" | "no_stream" | a decimal version ≥ 1. Anything else is kInvalidArgument.
  static Result<ExpectedVersion> Parse(std::string_view text);

  Kind kind() const { return kind_; }
  uint64_t version() const { return version_; }
  bool Matches(uint64_t actual) const;
  std::string ToString() const;

 private:
  ExpectedVersion(Kind k, uint64_t v) : kind_(k), version_(v) {}
  Kind kind_;
  uint64_t version_;
};

// One event to append. Personal fields travel in clear in `personal` and are sealed with
// the subject's data key before anything is stored; `payload` must not contain them.
struct NewEvent {
  std::string type;
  uint32_t schema_version = 1;
  std::string payload;
  std::string subject;                          // required when `personal` is not empty
  std::map<std::string, std::string> personal;  // field path → clear value
};

// The events for one stream inside an append. A write with no events only checks the
// expected version (useful to guard a decision that read several streams).
struct StreamWrite {
  std::string stream_id;
  ExpectedVersion expected = ExpectedVersion::Any();
  std::vector<NewEvent> events;
};

struct AppendRequest {
  std::string command_id;  // idempotency key, required; a retry returns the first answer
  Actor actor;             // user_id required
  std::string correlation_id;
  std::string causation_id;
  std::vector<StreamWrite> writes;  // all or nothing, each stream at most once
};

struct StreamAppendResult {
  std::string stream_id;
  uint64_t first_version = 0;  // version of its first new event; 0 for a check-only write
  uint64_t new_version = 0;
};

struct AppendResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  std::vector<StreamAppendResult> streams;
  bool replayed = false;  // true when the command id was seen before and nothing was written
  // The events as written (personal fields sealed), in position order: what a reader of
  // the log would now find, so a writer can bring its own view up to date without reading
  // them back. Empty on a replay.
  std::vector<Envelope> events;
};

// How a stored event's personal fields came back.
enum class PersonalState {
  kNone,    // the event seals nothing
  kClear,   // opened: `personal` holds the clear values
  kSealed,  // not opened (the reader did not ask)
  kErased,  // the subject was forgotten: the values are gone for good
};

struct RecordedEvent {
  Envelope envelope;
  PersonalState personal_state = PersonalState::kNone;
  std::map<std::string, std::string> personal;  // only when kClear
};

struct StreamInfo {
  std::string stream_id;
  StreamMeta meta;
};

// The marker shown in place of an erased personal field, French first.
inline constexpr const char* kErasedMarker = "[effacé / erased]";

}  // namespace piseruma::engine
