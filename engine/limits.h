// Limits on what an append may carry, and the checks that enforce them before anything
// reaches the writer. Every rejection names the field and the rule.
//
// Thread-safety: pure functions.
//
//   Limits limits;                                  // defaults: 1 MiB per event, …
//   Status s = ValidateAppend(request, limits);     // kInvalidArgument with violations
#pragma once

#include <cstddef>
#include <string_view>

#include "engine/log_types.h"
#include "engine/status.h"

namespace piseruma::engine {

struct Limits {
  size_t max_event_bytes = 1 << 20;         // payload + personal values of one event
  size_t max_append_bytes = 16 << 20;       // all events of one append
  size_t max_events_per_append = 10'000;
  size_t max_id_bytes = 200;                // stream ids, command ids, types, subjects
};

// Stream ids: 1..max_id_bytes bytes of [A-Za-z0-9._:@$/-]. The 0x00 byte never appears, so
// it can separate the id from the version in index keys.
Status ValidateStreamId(std::string_view stream_id, const Limits& limits);
// The same rules for any other id (a subject, a command id), naming `field` in the error.
Status ValidateId(std::string_view id, std::string_view field, const Limits& limits);

// Every problem of the request at once, as violations of one kInvalidArgument status.
Status ValidateAppend(const AppendRequest& request, const Limits& limits);

}  // namespace piseruma::engine
