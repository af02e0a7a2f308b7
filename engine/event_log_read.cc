// EventLog reads: streams, the global log, single positions and stream listings.
// Every multi-record read uses one RocksDB snapshot, so a multi-stream append is seen whole
// or not at all.
#include <rocksdb/db.h>

#include "engine/event_log.h"
#include "engine/group_commit.h"
#include "engine/keys.h"
#include "engine/log_store.h"
#include "engine/sealer.h"

namespace piseruma::engine {
namespace {

constexpr size_t kMaxReadLimit = 10'000;
// How many filtered-out events one ReadAll page may step over before returning.
constexpr size_t kMaxScanPerPage = 100'000;

class ScopedSnapshot {
 public:
  explicit ScopedSnapshot(rocksdb::DB* db) : db_(db), snap_(db->GetSnapshot()) {}
  ~ScopedSnapshot() { db_->ReleaseSnapshot(snap_); }
  ScopedSnapshot(const ScopedSnapshot&) = delete;
  ScopedSnapshot& operator=(const ScopedSnapshot&) = delete;
  rocksdb::ReadOptions Options() const {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap_;
    return ro;
  }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

bool Matches(const Envelope& env, const LogReadOptions& o) {
  if (!o.stream_prefix.empty() &&
      env.stream_id().compare(0, o.stream_prefix.size(), o.stream_prefix) != 0) {
    return false;
  }
  if (o.event_types.empty()) return true;
  for (const auto& t : o.event_types) {
    if (t == env.event_type()) return true;
  }
  return false;
}

}  // namespace

Status EventLog::OpenPersonal(RecordedEvent* event, bool open_personal,
                              std::map<std::string, std::optional<std::string>>* key_cache) const {
  const Envelope& env = event->envelope;
  if (env.sealed_size() == 0) {
    event->personal_state = PersonalState::kNone;
    return Status::Ok();
  }
  if (!open_personal) {
    event->personal_state = PersonalState::kSealed;
    return Status::Ok();
  }
  auto it = key_cache->find(env.subject());
  if (it == key_cache->end()) {
    PSR_ASSIGN_OR_RETURN(auto key, store_->GetDataKey(env.subject()));
    it = key_cache->emplace(env.subject(), std::move(key)).first;
  }
  if (!it->second) {
    PSR_ASSIGN_OR_RETURN(auto erasure, store_->GetErasure(env.subject()));
    if (!erasure) {
      return Status::DataLoss("the data key of " + env.subject() + " is missing (position " +
                              std::to_string(env.position()) + ") but no erasure was recorded");
    }
    event->personal_state = PersonalState::kErased;
    for (const auto& f : env.sealed()) event->personal[f.path()] = kErasedMarker;
    return Status::Ok();
  }
  event->personal_state = PersonalState::kClear;
  for (const auto& f : env.sealed()) {
    PSR_ASSIGN_OR_RETURN(event->personal[f.path()],
                         OpenField(*it->second, env.subject(), f.path(), f.ciphertext()));
  }
  return Status::Ok();
}

Result<RecordedEvent> EventLog::ToRecorded(
    std::string_view bytes, uint64_t position, bool open_personal,
    std::map<std::string, std::optional<std::string>>* key_cache) const {
  RecordedEvent ev;
  if (!ev.envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      ev.envelope.position() != position) {
    return Status::DataLoss("the event at position " + std::to_string(position) +
                            " is damaged; run `piseruma verify`");
  }
  PSR_RETURN_IF_ERROR(OpenPersonal(&ev, open_personal, key_cache));
  return ev;
}

Result<std::vector<RecordedEvent>> EventLog::ReadStream(const StreamReadOptions& o) const {
  PSR_RETURN_IF_ERROR(ValidateStreamId(o.stream_id, options_.limits));
  const size_t limit = std::min(o.limit, kMaxReadLimit);
  ScopedSnapshot snap(store_->db());
  const std::string prefix = keys::StreamIndexPrefix(o.stream_id);

  std::vector<std::string> event_keys;
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(snap.Options(), store_->stream_index()));
  if (!o.backward) {
    for (it->Seek(keys::StreamIndexKey(o.stream_id, o.from_version));
         it->Valid() && it->key().starts_with(prefix) && event_keys.size() < limit; it->Next()) {
      event_keys.push_back(it->value().ToString());
    }
  } else {
    const uint64_t from = o.from_version == 0 ? UINT64_MAX : o.from_version;
    for (it->SeekForPrev(keys::StreamIndexKey(o.stream_id, from));
         it->Valid() && it->key().starts_with(prefix) && event_keys.size() < limit; it->Prev()) {
      event_keys.push_back(it->value().ToString());
    }
  }
  PSR_RETURN_IF_ERROR(FromRocks(it->status(), "cannot read stream " + o.stream_id));

  std::vector<rocksdb::Slice> slices(event_keys.begin(), event_keys.end());
  std::vector<rocksdb::PinnableSlice> values(slices.size());
  std::vector<rocksdb::Status> statuses(slices.size());
  store_->db()->MultiGet(snap.Options(), store_->events(), slices.size(), slices.data(),
                         values.data(), statuses.data());
  std::vector<RecordedEvent> out;
  out.reserve(slices.size());
  std::map<std::string, std::optional<std::string>> key_cache;
  for (size_t i = 0; i < slices.size(); ++i) {
    const uint64_t position = keys::DecodeFixed64BE(event_keys[i]);
    if (statuses[i].IsNotFound()) {
      return Status::DataLoss("stream " + o.stream_id + " points at position " +
                              std::to_string(position) + ", which is missing");
    }
    PSR_RETURN_IF_ERROR(FromRocks(statuses[i], "cannot read stream " + o.stream_id));
    PSR_ASSIGN_OR_RETURN(RecordedEvent ev, ToRecorded(values[i].ToStringView(), position,
                                                      o.open_personal, &key_cache));
    out.push_back(std::move(ev));
  }
  return out;
}

Result<LogPage> EventLog::ReadAll(const LogReadOptions& o) const {
  LogPage page;
  PSR_RETURN_IF_ERROR(ReadAllInto(o, &page));
  return page;
}

Status EventLog::ReadAllInto(const LogReadOptions& o, LogPage* page) const {
  page->head_position = HeadPosition();
  page->next_position = std::max<uint64_t>(o.from_position, 1);
  const size_t limit = std::min(o.limit, kMaxReadLimit);
  ScopedSnapshot snap(store_->db());
  rocksdb::ReadOptions ro = snap.Options();
  // A page is read once, so its blocks are not kept in the block cache; RocksDB's automatic
  // readahead (growing from 8 KiB) fits pages of any size, where a fixed 2 MiB buffer would
  // be filled anew for every page and re-read by the next one.
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(ro, store_->events()));
  std::map<std::string, std::optional<std::string>> key_cache;
  std::vector<RecordedEvent>& events = page->events;
  size_t count = 0;  // events[0, count) are this page's; the rest are recycled storage
  size_t scanned = 0;
  for (it->Seek(keys::EventKey(page->next_position));
       it->Valid() && count < limit && scanned < kMaxScanPerPage; it->Next()) {
    const uint64_t position = keys::DecodeFixed64BE(it->key().ToStringView());
    if (position > page->head_position) break;
    ++scanned;
    if (count == events.size()) events.emplace_back();
    RecordedEvent& ev = events[count];
    if (!ev.envelope.ParseFromArray(it->value().data(), static_cast<int>(it->value().size())) ||
        ev.envelope.position() != position) {
      return Status::DataLoss("the event at position " + std::to_string(position) +
                              " is damaged; run `piseruma verify`");
    }
    page->next_position = position + 1;
    if (!Matches(ev.envelope, o)) continue;
    ev.personal.clear();
    PSR_RETURN_IF_ERROR(OpenPersonal(&ev, o.open_personal, &key_cache));
    ++count;
  }
  PSR_RETURN_IF_ERROR(FromRocks(it->status(), "cannot read the log"));
  events.resize(count);  // only a short page (caught up) gives storage back
  return Status::Ok();
}

Result<RecordedEvent> EventLog::ReadAt(uint64_t position, bool open_personal) const {
  PSR_ASSIGN_OR_RETURN(auto raw, store_->Get(store_->events(), keys::EventKey(position)));
  if (!raw || position == 0) {
    return Status::NotFound("no event at position " + std::to_string(position) +
                            " (the log ends at " + std::to_string(HeadPosition()) + ")");
  }
  std::map<std::string, std::optional<std::string>> key_cache;
  return ToRecorded(*raw, position, open_personal, &key_cache);
}

Result<std::optional<AppendResult>> EventLog::FindCommand(const std::string& command_id) const {
  if (command_id.empty()) return std::optional<AppendResult>();
  PSR_ASSIGN_OR_RETURN(auto raw, store_->Get(store_->commands(), command_id));
  if (!raw) return std::optional<AppendResult>();
  CommandRecord rec;
  if (!rec.ParseFromString(*raw))
    return Status::DataLoss("command record " + command_id + " is damaged");
  return std::optional<AppendResult>(AppendResultFromRecord(rec));
}

Result<StreamInfo> EventLog::GetStream(const std::string& stream_id) const {
  PSR_RETURN_IF_ERROR(ValidateStreamId(stream_id, options_.limits));
  PSR_ASSIGN_OR_RETURN(auto meta, store_->GetStreamMeta(stream_id));
  if (!meta) return Status::NotFound("stream " + stream_id + " has no events");
  return StreamInfo{stream_id, std::move(*meta)};
}

Result<uint64_t> EventLog::StreamVersion(const std::string& stream_id) const {
  if (writer_) {
    if (auto known = writer_->CommittedVersion(stream_id)) return *known;
  }
  PSR_RETURN_IF_ERROR(ValidateStreamId(stream_id, options_.limits));
  PSR_ASSIGN_OR_RETURN(auto meta, store_->GetStreamMeta(stream_id));
  return meta ? meta->version() : 0;
}

Result<std::vector<StreamInfo>> EventLog::ListStreams(const std::string& prefix,
                                                      const std::string& after,
                                                      size_t limit) const {
  std::vector<StreamInfo> out;
  limit = std::min(limit, kMaxReadLimit);
  std::unique_ptr<rocksdb::Iterator> it(
      store_->db()->NewIterator(rocksdb::ReadOptions(), store_->streams()));
  it->Seek(std::max(after, prefix));
  if (!after.empty() && it->Valid() && it->key() == after) it->Next();
  for (; it->Valid() && it->key().starts_with(prefix) && out.size() < limit; it->Next()) {
    StreamInfo info{it->key().ToString(), {}};
    if (!info.meta.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::DataLoss("metadata of stream " + info.stream_id + " is damaged");
    }
    out.push_back(std::move(info));
  }
  PSR_RETURN_IF_ERROR(FromRocks(it->status(), "cannot list streams"));
  return out;
}

}  // namespace piseruma::engine
