#include "api/event_json.h"

#include "engine/clock.h"
#include "engine/hash_chain.h"

namespace piseruma::api {

std::string Base64Encode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(n >> s) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t n = uint8_t(in[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t n = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

namespace {
const char* PersonalStateName(engine::PersonalState s) {
  switch (s) {
    case engine::PersonalState::kNone: return "none";
    case engine::PersonalState::kClear: return "clear";
    case engine::PersonalState::kSealed: return "sealed";
    case engine::PersonalState::kErased: return "erased";
  }
  return "?";
}
}  // namespace

boost::json::object EventToJson(const engine::RecordedEvent& event, const PayloadRenderer& render) {
  const engine::Envelope& e = event.envelope;
  boost::json::object o;
  o["position"] = e.position();
  o["stream_id"] = e.stream_id();
  o["stream_version"] = e.stream_version();
  o["event_id"] = e.event_id();
  o["type"] = e.event_type();
  o["schema_version"] = e.schema_version();
  o["recorded_at"] = engine::FormatRfc3339Micros(e.recorded_at_us());
  o["actor"] = {{"user_id", e.actor().user_id()}, {"role", e.actor().role()}};
  o["command_id"] = e.command_id();
  if (!e.correlation_id().empty()) o["correlation_id"] = e.correlation_id();
  if (!e.causation_id().empty()) o["causation_id"] = e.causation_id();
  boost::json::value rendered;
  if (render && render(e.event_type(), e.payload(), &rendered)) {
    o["data"] = std::move(rendered);
  } else {
    o["payload_base64"] = Base64Encode(e.payload());
  }
  if (!e.subject().empty()) o["subject"] = e.subject();
  if (e.sealed_size() > 0) {
    o["personal_state"] = PersonalStateName(event.personal_state);
    boost::json::object personal;
    for (const auto& f : e.sealed()) {
      auto it = event.personal.find(f.path());
      personal[f.path()] = it == event.personal.end() ? boost::json::value("[scellé / sealed]")
                                                      : boost::json::value(it->second);
    }
    o["personal"] = std::move(personal);
  }
  o["prev_hash"] = engine::HexEncode(e.prev_hash());
  o["hash"] = engine::HexEncode(e.hash());
  return o;
}

}  // namespace piseruma::api
