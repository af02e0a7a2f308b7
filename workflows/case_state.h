// evolve(state, event) → state for case and cooperative streams.
//
// Pure and total: the machine changes and deadlines come from the event's own header
// (decided once, recorded), and the facts from its data. Replaying a stream's events from
// its start — or from a snapshot — always rebuilds exactly the same StreamState.
//
// Thread-safety: pure functions.
//
//   StreamState s;
//   for (const auto& e : events) PSR_RETURN_IF_ERROR(Evolve(&s, e.envelope));
#pragma once

#include <vector>

#include "engine/log_types.h"
#include "engine/status.h"
#include "workflows/proto/events.pb.h"
#include "workflows/proto/state.pb.h"

namespace piseruma::workflows {

// Applies one stored event. kDataLoss when its payload is not a DomainEvent, or its
// version is not the next one of the stream.
Status Evolve(StreamState* state, const engine::Envelope& envelope);
// Applies a decoded event (the same as above, without decoding).
void EvolveDecoded(StreamState* state, const engine::Envelope& envelope, const DomainEvent& event);

// Folds events onto `state` in order.
Status Fold(StreamState* state, const std::vector<engine::RecordedEvent>& events);

}  // namespace piseruma::workflows
