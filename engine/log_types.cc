#include "engine/log_types.h"

#include <charconv>

namespace piseruma::engine {

Result<ExpectedVersion> ExpectedVersion::Parse(std::string_view text) {
  if (text == "any") return Any();
  if (text == "no_stream") return NoStream();
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0) {
    return Status::InvalidArgument("expected version '" + std::string(text) +
                                   "' is not understood: use any, no_stream or a version >= 1");
  }
  return Exactly(v);
}

bool ExpectedVersion::Matches(uint64_t actual) const {
  switch (kind_) {
    case Kind::kAny: return true;
    case Kind::kNoStream: return actual == 0;
    case Kind::kExactly: return actual == version_;
  }
  return false;
}

std::string ExpectedVersion::ToString() const {
  switch (kind_) {
    case Kind::kAny: return "any";
    case Kind::kNoStream: return "no_stream";
    case Kind::kExactly: return std::to_string(version_);
  }
  return "?";
}

}  // namespace piseruma::engine
