// Integrity checks of the hash chain (see hash_chain.cc for what is hashed).
#include <rocksdb/db.h>

#include "engine/event_log.h"
#include "engine/hash_chain.h"
#include "engine/keys.h"
#include "engine/log_store.h"

namespace piseruma::engine {
namespace {

constexpr uint64_t kProgressEvery = 1 << 16;

VerifyReport Broken(VerifyReport r, uint64_t position, std::string problem) {
  r.intact = false;
  r.first_broken_position = position;
  r.problem = std::move(problem);
  r.head_hash.clear();
  return r;
}

// The hash an event claims for itself, checked: parses, sits at `position`, recomputes.
// Returns the problem in words, or "" when the event is sound.
std::string CheckEvent(std::string_view bytes, uint64_t position, Envelope* env) {
  if (!env->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return "the stored event cannot be decoded: its bytes were altered";
  }
  if (env->position() != position) {
    return "the event claims position " + std::to_string(env->position()) + " but is stored at " +
           std::to_string(position);
  }
  if (env->hash().size() != kHashSize || ComputeEventHash(*env) != env->hash()) {
    return "the event's content does not match its hash: it was altered after being written";
  }
  return "";
}

}  // namespace

Result<VerifyReport> EventLog::Verify(uint64_t from, uint64_t to, const ProgressFn& progress) const {
  VerifyReport r;
  uint64_t head = 0;
  std::string head_hash;
  PSR_RETURN_IF_ERROR(store_->LoadHead(&head, &head_hash));
  r.from = std::max<uint64_t>(from, 1);
  r.to = to == 0 ? head : to;
  if (r.to > head) {
    return Status::InvalidArgument("cannot verify up to position " + std::to_string(r.to) +
                                   ": the log ends at " + std::to_string(head));
  }
  if (r.from > r.to) {
    r.head_hash = HexEncode(r.to == 0 ? GenesisHash() : head_hash);
    return r;
  }

  std::string expected_prev = GenesisHash();
  if (r.from > 1) {
    PSR_ASSIGN_OR_RETURN(auto before, store_->GetEvent(r.from - 1));
    if (!before) return Broken(r, r.from - 1, "the event before the range is missing");
    expected_prev = before->hash();
  }
  const rocksdb::Snapshot* snap = store_->db()->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  ro.readahead_size = 2 << 20;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(ro, store_->events()));
  uint64_t expected = r.from;
  Envelope env;
  for (it->Seek(keys::EventKey(r.from)); it->Valid() && expected <= r.to; it->Next(), ++expected) {
    const uint64_t position = keys::DecodeFixed64BE(it->key().ToStringView());
    if (position != expected) {
      r = Broken(r, expected, "the event is missing: the log jumps to position " + std::to_string(position));
      break;
    }
    std::string problem = CheckEvent(it->value().ToStringView(), position, &env);
    if (problem.empty() && env.prev_hash() != expected_prev) {
      problem = "the event does not link to the one before it: the history was rewritten here";
    }
    if (!problem.empty()) {
      r = Broken(r, position, problem);
      break;
    }
    expected_prev = env.hash();
    ++r.checked;
    if (progress && r.checked % kProgressEvery == 0) progress(r.checked, r.to - r.from + 1);
  }
  rocksdb::Status iter_status = it->status();
  it.reset();
  store_->db()->ReleaseSnapshot(snap);
  PSR_RETURN_IF_ERROR(FromRocks(iter_status, "cannot read the log"));
  if (r.intact && expected <= r.to) {
    r = Broken(r, expected, "the event is missing: the log ends early");
  }
  if (r.intact && r.to == head && expected_prev != head_hash) {
    r = Broken(r, head, "the recorded head hash differs from the last event's hash");
  }
  if (progress) progress(r.checked, r.to - r.from + 1);
  if (r.intact) r.head_hash = HexEncode(expected_prev);
  return r;
}

Result<VerifyReport> EventLog::VerifyStream(const std::string& stream_id) const {
  PSR_RETURN_IF_ERROR(ValidateStreamId(stream_id, options_.limits));
  VerifyReport r;
  PSR_ASSIGN_OR_RETURN(auto meta, store_->GetStreamMeta(stream_id));
  if (!meta) return Status::NotFound("stream " + stream_id + " has no events");
  const std::string prefix = keys::StreamIndexPrefix(stream_id);
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), store_->stream_index()));
  uint64_t version = 0;
  std::string last_hash;
  Envelope env;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ++version;
    auto parsed = keys::ParseStreamIndexKey(it->key().ToStringView());
    const uint64_t position = it->value().size() == 8 ? keys::DecodeFixed64BE(it->value().ToStringView()) : 0;
    if (r.from == 0) r.from = position;
    r.to = position;
    if (!parsed || parsed->second != version || position == 0) {
      return Broken(r, position, "the stream index skips version " + std::to_string(version));
    }
    PSR_ASSIGN_OR_RETURN(auto raw, store_->Get(store_->events(), keys::EventKey(position)));
    if (!raw) return Broken(r, position, "version " + std::to_string(version) + " points at a missing event");
    std::string problem = CheckEvent(*raw, position, &env);
    if (problem.empty() && (env.stream_id() != stream_id || env.stream_version() != version)) {
      problem = "the event belongs to " + env.stream_id() + " version " + std::to_string(env.stream_version());
    }
    if (problem.empty()) {
      std::string prev_hash = GenesisHash();
      if (position > 1) {
        PSR_ASSIGN_OR_RETURN(auto prev, store_->GetEvent(position - 1));
        prev_hash = prev ? prev->hash() : "";
      }
      if (prev_hash != env.prev_hash()) problem = "the event does not link to the global chain";
    }
    if (!problem.empty()) return Broken(r, position, problem);
    last_hash = env.hash();
    ++r.checked;
  }
  PSR_RETURN_IF_ERROR(FromRocks(it->status(), "cannot read stream " + stream_id));
  if (version != meta->version() || last_hash != meta->last_hash()) {
    return Broken(r, meta->last_position(), "the stream's metadata disagrees with its events");
  }
  r.head_hash = HexEncode(last_hash);
  return r;
}

}  // namespace piseruma::engine
