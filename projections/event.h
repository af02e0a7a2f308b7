// ProjectionEvent: one domain event as the projections see it — the envelope, the decided
// header (workflow changes, deadlines) and the command data, decoded once per event and
// shared by every projection. Personal fields are never opened: the data carries them
// empty (the log is read with open_personal = false).
//
// EventDecoder reuses one message per command type, so the hot path of a rebuild does not
// allocate per event.
//
// Thread-safety: an EventDecoder is used by one thread; the event it returns is valid
// until its next Decode().
//
//   EventDecoder decoder(&stream_index);
//   PSR_ASSIGN_OR_RETURN(const ProjectionEvent* e, decoder.Decode(recorded));
//   if (e && e->As<workflows::RecordPlacement>()) ...
#pragma once

#include <google/protobuf/message.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/log_types.h"
#include "engine/status.h"
#include "projections/stream_index.h"
#include "workflows/dates.h"
#include "workflows/proto/events.pb.h"

namespace piseruma::projections {

enum class StreamKind { kCase, kCooperative };

struct ProjectionEvent {
  const engine::Envelope* envelope = nullptr;
  const workflows::DomainEvent* header = nullptr;  // its `data` is the packed form of `data`
  const google::protobuf::Message* data = nullptr;
  StreamKind kind = StreamKind::kCase;
  uint32_t stream = 0;     // the stream's number in the runtime's StreamIndex
  workflows::Day day = 0;  // the day it was recorded, in Morocco
  std::string month;       // "YYYY-MM" of `day`

  const std::string& stream_id() const { return envelope->stream_id(); }
  // The data as T, or null when it is another command's.
  template <typename T>
  const T* As() const {
    static const google::protobuf::Descriptor* const kType = T::descriptor();
    return descriptor == kType ? static_cast<const T*>(data) : nullptr;
  }
  const google::protobuf::Descriptor* descriptor = nullptr;  // data's type
};

class EventDecoder {
 public:
  // REQUIRES: `streams` outlives the decoder.
  explicit EventDecoder(StreamIndex* streams) : streams_(streams) {}
  EventDecoder(const EventDecoder&) = delete;
  EventDecoder& operator=(const EventDecoder&) = delete;

  // The event decoded; null for streams the projections do not read (the engine's own
  // "$…" streams). kDataLoss when a case or cooperative event is not a readable domain
  // event. REQUIRES: `event` outlives the result's use.
  Result<const ProjectionEvent*> Decode(const engine::RecordedEvent& event);

 private:
  StreamIndex* streams_;
  workflows::DomainEvent header_;
  ProjectionEvent out_;
  std::unordered_map<std::string, std::unique_ptr<google::protobuf::Message>>
      messages_;                   // by type URL
  workflows::Day month_day_ = -1;  // the first day of out_.month's cache
  workflows::Day month_end_ = -1;
};

// "YYYY-MM" of a day.
std::string MonthOf(workflows::Day day);

// Calls fn(machine, to_state) for each workflow the event moved, in the order the
// workflows' evolve applies them: the ones it opened, then its transition if it changed
// state (a migration keeps the state and is not a move).
template <typename Fn>
void ForEachStateChange(const workflows::DomainEvent& header, Fn fn) {
  for (const auto& opened : header.opened()) fn(opened.machine(), opened.to_state());
  if (header.has_transition() &&
      header.transition().from_state() != header.transition().to_state()) {
    fn(header.transition().machine(), header.transition().to_state());
  }
}

}  // namespace piseruma::projections
