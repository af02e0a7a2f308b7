// The audit file: one JSON object (UTF-8), written by BuildAuditFile.
//
//   file       := { "format": "piseruma-audit-file-v1",
//                   "case_id": string, "streams": [string],      the case, then its cooperatives
//                   "exported_at": RFC3339, "exported_by": string,
//                   "range": { "from": u64, "to": u64 },          every position in it is accounted
//                   for "events": [entry],                            readable; personal fields
//                   sealed "events_pb": base64(record*),                 the same events,
//                   authoritative "links": [link],                              every other
//                   position in range "checkpoint": checkpoint | null, "erasure": erasure | null }
//   record     := length:varint32 Envelope[length]               engine/proto/envelope.proto,
//   position order link       := { "position": u64, "canonical": base64 }       Canonical(e) of
//   engine/hash_chain.cc checkpoint := { "position", "head_hash", "signature", "public_key",
//   "signed_at" }  (checkpoint_signer.h)
//
// Verification: take h = prev_hash of the first record; for p in range, in order, let c be
// Canonical(record at p) or the link's bytes (whose tag-4 position must be p and whose tag-2
// stream must not be one of "streams"); h = SHA-256(h ‖ c); a record's stored hash must equal
// h. At checkpoint.position, h must equal head_hash, and the Ed25519 signature must verify.
// Links carry full canonical bytes because the chain hashes prev_hash ‖ canonical directly:
// hashes alone between two case events could be forged. Other streams' payloads are in
// there; their personal fields are ciphertexts.
#include "api/audit/audit_file.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <openssl/sha.h>

#include <algorithm>
#include <map>
#include <set>

#include "api/audit/history.h"
#include "api/event_json.h"
#include "engine/clock.h"
#include "engine/hash_chain.h"
#include "engine/keys.h"

namespace piseruma::api::audit {
namespace {

std::string Base64Decode(std::string_view in, bool* ok) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t buf = 0;
  int bits = 0;
  *ok = in.size() % 4 == 0;
  for (size_t i = 0; i < in.size() && *ok; ++i) {
    if (in[i] == '=') {
      *ok = i + 2 >= in.size();
      continue;
    }
    const int v = val(in[i]);
    if (v < 0) {
      *ok = false;
      break;
    }
    buf = (buf << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFF));
    }
  }
  return out;
}

std::string Sha256(std::string_view a, std::string_view b) {
  std::string message;
  message.reserve(a.size() + b.size());
  message.append(a).append(b);
  std::string out(engine::kHashSize, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(message.data()), message.size(),
         reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// Tag 2 (stream id) and tag 4 (position) of canonical bytes; false when malformed.
bool CanonicalHeader(std::string_view c, std::string* stream, uint64_t* position) {
  if (c.substr(0, 4) != "PSR1") return false;
  size_t at = 4;
  for (uint8_t want = 1; want <= 4; ++want) {
    if (at + 5 > c.size() || static_cast<uint8_t>(c[at]) != want) return false;
    uint32_t len = 0;
    for (int i = 1; i <= 4; ++i) len = (len << 8) | static_cast<uint8_t>(c[at + i]);
    at += 5;
    if (at + len > c.size()) return false;
    if (want == 2) *stream = std::string(c.substr(at, len));
    if (want == 4) {
      if (len != 8) return false;
      *position = engine::keys::DecodeFixed64BE(c.substr(at, 8));
    }
    at += len;
  }
  return true;
}

std::string EncodeRecords(const std::vector<engine::RecordedEvent>& events) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream raw(&out);
    google::protobuf::io::CodedOutputStream coded(&raw);
    for (const auto& e : events) {
      coded.WriteVarint32(static_cast<uint32_t>(e.envelope.ByteSizeLong()));
      e.envelope.SerializeToCodedStream(&coded);
    }
  }
  return out;
}

bool DecodeRecords(const std::string& bytes, std::vector<engine::Envelope>* out) {
  google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
  google::protobuf::io::CodedInputStream coded(&raw);
  while (coded.CurrentPosition() < static_cast<int>(bytes.size())) {
    uint32_t len = 0;
    if (!coded.ReadVarint32(&len)) return false;
    auto limit = coded.PushLimit(static_cast<int>(len));
    engine::Envelope env;
    if (!env.ParseFromCodedStream(&coded) || !coded.ConsumedEntireMessage()) return false;
    coded.PopLimit(limit);
    out->push_back(std::move(env));
  }
  return true;
}

}  // namespace

Result<boost::json::object> BuildAuditFile(const engine::EventLog& log, const std::string& case_id,
                                           const std::optional<Checkpoint>& checkpoint,
                                           const std::string& exported_by) {
  PSR_ASSIGN_OR_RETURN(auto own, CaseEvents(log, case_id, {}, false));
  if (own.empty()) return Status::NotFound(case_id + " introuvable / not found");
  std::vector<std::string> streams = {case_id};
  for (auto& s : CooperativesOf(own)) streams.push_back(std::move(s));
  PSR_ASSIGN_OR_RETURN(auto events,
                       CaseEvents(log, case_id, {streams.begin() + 1, streams.end()}, false));
  const uint64_t from = events.front().envelope.position();
  const uint64_t to =
      std::max(events.back().envelope.position(), checkpoint ? checkpoint->position : 0);
  std::set<uint64_t> mine;
  boost::json::array entries;
  for (const auto& e : events) {
    mine.insert(e.envelope.position());
    entries.push_back(HistoryEntryJson(e));
  }
  boost::json::array links;
  for (uint64_t p = from; p <= to;) {
    PSR_ASSIGN_OR_RETURN(auto page, log.ReadAll({.from_position = p, .limit = 1000}));
    if (page.events.empty()) break;
    for (const auto& e : page.events) {
      const uint64_t at = e.envelope.position();
      if (at > to) break;
      if (!mine.count(at))
        links.push_back(
            {{"position", at}, {"canonical", Base64Encode(engine::CanonicalBytes(e.envelope))}});
    }
    p = page.events.back().envelope.position() + 1;
  }
  boost::json::array stream_ids;
  for (const auto& s : streams) stream_ids.push_back(boost::json::value(s));
  PSR_ASSIGN_OR_RETURN(boost::json::value erasure, ErasureJson(log, case_id));
  return boost::json::object{
      {"format", kAuditFileFormat},
      {"case_id", case_id},
      {"streams", std::move(stream_ids)},
      {"exported_at", engine::FormatRfc3339Micros(log.options().clock->NowMicros())},
      {"exported_by", exported_by},
      {"range", {{"from", from}, {"to", to}}},
      {"events", std::move(entries)},
      {"events_pb", Base64Encode(EncodeRecords(events))},
      {"links", std::move(links)},
      {"checkpoint", checkpoint ? boost::json::value(checkpoint->ToJson()) : nullptr},
      {"erasure", std::move(erasure)}};
}

Result<FileVerification> VerifyAuditFile(const std::string& text,
                                         const std::string& expected_public_key_hex) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Status::InvalidArgument("the file is not JSON: " + ec.message());
  const boost::json::object& file = v.as_object();
  if (!file.contains("format") || !file.at("format").is_string() ||
      file.at("format").as_string() != kAuditFileFormat) {
    return Status::InvalidArgument(std::string("not a ") + kAuditFileFormat + " file");
  }
  FileVerification out;
  auto fail = [&](uint64_t position, std::string problem) {
    if (out.problem.empty()) {
      out.first_broken_position = position;
      out.problem = std::move(problem);
    }
    out.intact = false;
    return out;
  };
  std::set<std::string> streams;
  std::string case_id;
  uint64_t from = 0, to = 0;
  std::vector<engine::Envelope> records;
  std::map<uint64_t, std::string> links;
  std::optional<Checkpoint> cp;
  try {
    case_id = std::string(file.at("case_id").as_string());
    for (const auto& s : file.at("streams").as_array()) streams.insert(std::string(s.as_string()));
    from = file.at("range").at("from").to_number<uint64_t>();
    to = file.at("range").at("to").to_number<uint64_t>();
    bool ok = true;
    const std::string pb = Base64Decode(file.at("events_pb").as_string(), &ok);
    if (!ok || !DecodeRecords(pb, &records))
      return fail(0, "events_pb is not base64 length-delimited Envelopes");
    for (const auto& l : file.at("links").as_array()) {
      std::string bytes = Base64Decode(l.at("canonical").as_string(), &ok);
      if (!ok) return fail(l.at("position").to_number<uint64_t>(), "a link is not base64");
      links[l.at("position").to_number<uint64_t>()] = std::move(bytes);
    }
    if (!file.at("checkpoint").is_null()) {
      PSR_ASSIGN_OR_RETURN(Checkpoint c, Checkpoint::FromJson(file.at("checkpoint")));
      cp = c;
    }
    if (file.at("events").as_array().size() != records.size()) {
      return fail(0, "the readable events and events_pb do not hold the same number of events");
    }
    for (size_t i = 0; i < records.size(); ++i) {
      const auto& readable = file.at("events").as_array()[i];
      if (readable.at("hash").as_string() != engine::HexEncode(records[i].hash()) ||
          readable.at("position").to_number<uint64_t>() != records[i].position()) {
        return fail(records[i].position(), "the readable event differs from its Protobuf record");
      }
    }
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("the file lacks a field or has a wrong type: ") +
                                   e.what());
  }
  out.intact = true;
  out.events = records.size();
  if (records.empty() || from == 0 || to < from || records.front().position() != from) {
    return fail(from, "the file's range does not start at its first event");
  }
  std::map<uint64_t, const engine::Envelope*> by_position;
  for (const auto& r : records) by_position[r.position()] = &r;
  std::string h = records.front().prev_hash();
  uint64_t case_version = 0;
  for (uint64_t p = from; p <= to; ++p) {
    auto rec = by_position.find(p);
    auto link = links.find(p);
    std::string canonical;
    if (rec != by_position.end()) {
      const engine::Envelope& e = *rec->second;
      if (!streams.count(e.stream_id()))
        return fail(p, "an event of stream " + e.stream_id() + " is not one of the file's streams");
      if (e.stream_id() == case_id && e.stream_version() != ++case_version) {
        return fail(p, "the case's versions are not dense: an event is missing before version " +
                           std::to_string(e.stream_version()));
      }
      if (e.prev_hash() != h) return fail(p, "the event does not link to the one before it");
      canonical = engine::CanonicalBytes(e);
      h = Sha256(h, canonical);
      if (e.hash() != h)
        return fail(p, "the event's content does not match its hash: it was altered");
    } else if (link != links.end()) {
      std::string stream;
      uint64_t position = 0;
      if (!CanonicalHeader(link->second, &stream, &position) || position != p) {
        return fail(p,
                    "the link's bytes are not the canonical bytes of the event at this position");
      }
      if (streams.count(stream))
        return fail(p, "an event of " + stream + " is hidden among the links");
      h = Sha256(h, link->second);
    } else {
      return fail(p, "nothing in the file accounts for this position");
    }
    ++out.chained;
    if (cp && p == cp->position && engine::HexEncode(h) != cp->head_hash_hex) {
      return fail(p, "the chain does not reach the checkpoint's signed head hash");
    }
  }
  if (!cp) {
    out.notes.push_back(
        "no signed checkpoint: the file is consistent, but nothing proves it is the server's log");
    return out;
  }
  out.checkpoint_position = cp->position;
  out.public_key_hex = cp->public_key_hex;
  if (cp->position < from || cp->position > to)
    return fail(cp->position, "the checkpoint lies outside the file's range");
  if (!VerifyCheckpointSignature(*cp))
    return fail(cp->position, "the checkpoint's Ed25519 signature is not valid");
  if (!expected_public_key_hex.empty() && expected_public_key_hex != cp->public_key_hex) {
    return fail(cp->position, "the checkpoint was signed by another key than the one expected");
  }
  if (expected_public_key_hex.empty()) {
    out.notes.push_back(
        "the signing key was not compared with the server's published key (--public-key)");
  }
  out.covered = records.back().position() <= cp->position;
  if (!out.covered) {
    out.notes.push_back("events after position " + std::to_string(cp->position) +
                        " are chained but not covered by the signed checkpoint");
  }
  return out;
}

}  // namespace piseruma::api::audit
