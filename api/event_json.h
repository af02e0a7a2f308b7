// The JSON form of a recorded event, shared by `piseruma dump` and the HTTP API.
//
// Binary fields (hashes) are lowercase hex; the payload is base64 until a domain renderer
// is given; personal fields appear only when the event was opened, and erased ones carry
// the erased marker.
//
// Thread-safety: pure functions.
//
//   boost::json::object o = EventToJson(event, nullptr);
//   std::cout << boost::json::serialize(o) << "\n";
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <string>

#include "engine/log_types.h"

namespace piseruma::api {

// Renders a payload as JSON for its event type; returns false when it cannot.
using PayloadRenderer =
    std::function<bool(const std::string& type, const std::string& payload, boost::json::value* out)>;

boost::json::object EventToJson(const engine::RecordedEvent& event, const PayloadRenderer& render);

std::string Base64Encode(std::string_view bytes);

}  // namespace piseruma::api
