#include "engine/event_log.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "engine/keys.h"
#include "tests/support/log_helpers.h"
#include "tests/support/temp_dir.h"

namespace piseruma::engine {
namespace {

using testing::History;
using testing::LogHistory;
using testing::OpenLog;
using testing::Single;
using testing::TempDir;

TEST(EventLogTest, AppendsAndReadsAStream) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  auto r = log->Append(
      Single("c1", "case-1", ExpectedVersion::NoStream(), {"Registered", "ConsentGiven"}));
  ASSERT_OK(r);
  EXPECT_EQ(r->first_position, 1u);
  EXPECT_EQ(r->last_position, 2u);
  EXPECT_EQ(r->streams.at(0).first_version, 1u);
  EXPECT_EQ(r->streams.at(0).new_version, 2u);
  EXPECT_FALSE(r->replayed);
  ASSERT_OK(log->Append(Single("c2", "case-1", ExpectedVersion::Exactly(2), {"Assessed"})));
  EXPECT_EQ(History(*log, "case-1"), "Registered@1 ConsentGiven@2 Assessed@3");

  auto events = log->ReadStream({.stream_id = "case-1"});
  ASSERT_OK(events);
  const Envelope& e = events->at(2).envelope;
  EXPECT_EQ(e.position(), 3u);
  EXPECT_EQ(e.command_id(), "c2");
  EXPECT_EQ(e.actor().user_id(), "u-test");
  EXPECT_EQ(e.payload(), "payload-of-Assessed");
  EXPECT_EQ(e.event_id().size(), 36u);
  EXPECT_EQ(e.prev_hash(), events->at(1).envelope.hash());

  auto info = log->GetStream("case-1");
  ASSERT_OK(info);
  EXPECT_EQ(info->meta.version(), 3u);
  EXPECT_EQ(info->meta.first_position(), 1u);
  EXPECT_EQ(info->meta.last_hash(), e.hash());
  EXPECT_EQ(log->GetStream("case-404").status().code(), StatusCode::kNotFound);
}

// A writer keeps its own view of the streams it writes (the command service's cache) from
// the answer alone: the events in it must be the stored ones, byte for byte.
TEST(EventLogTest, AnAppendAnswersWithTheEventsAsStored) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c0", "case-0", ExpectedVersion::NoStream(), {"Registered"})));
  AppendRequest req = Single("c1", "case-1", ExpectedVersion::NoStream(), {"Registered", "Noted"});
  req.writes[0].events[0].subject = "case-1";
  req.writes[0].events[0].personal["full_name"] = "Personne Synthétique";
  req.writes.push_back({"case-0", ExpectedVersion::Exactly(1), {{.type = "Joined"}}});
  auto r = log->Append(req);
  ASSERT_OK(r);
  ASSERT_EQ(r->events.size(), 3u);
  for (size_t i = 0; i < r->events.size(); ++i) {
    auto stored = log->ReadAt(r->first_position + i, false);
    ASSERT_OK(stored);
    EXPECT_EQ(r->events[i].SerializeAsString(), stored->envelope.SerializeAsString()) << i;
  }
  EXPECT_EQ(r->events[0].sealed_size(), 1) << "personal fields come back sealed, as stored";
  EXPECT_EQ(r->events[2].stream_id(), "case-0");

  auto replay = log->Append(req);
  ASSERT_OK(replay);
  EXPECT_TRUE(replay->replayed);
  EXPECT_TRUE(replay->events.empty()) << "a replay wrote nothing";
}

TEST(EventLogTest, StreamVersionIsTheCommittedVersionFromMemoryOrMetadata) {
  TempDir dir;
  {
    auto log = OpenLog(dir.path());
    EXPECT_EQ(*log->StreamVersion("case-1"), 0u) << "no events yet";
    ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::NoStream(), {"A", "B"})));
    EXPECT_EQ(*log->StreamVersion("case-1"), 2u) << "published by the writer";
    ASSERT_OK(log->Append(Single("c2", "case-1", ExpectedVersion::Exactly(2), {"C"})));
    EXPECT_EQ(*log->StreamVersion("case-1"), 3u);
    EXPECT_EQ(log->StreamVersion("bad id").status().code(), StatusCode::kInvalidArgument);
  }
  auto reopened = OpenLog(dir.path());  // nothing written since it opened: the metadata
  EXPECT_EQ(*reopened->StreamVersion("case-1"), 3u);
  EXPECT_EQ(*reopened->StreamVersion("case-2"), 0u);
}

TEST(EventLogTest, ReadsBackwardFromAVersionWithALimit) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "s", ExpectedVersion::Any(), {"A", "B", "C", "D", "E"})));
  auto back = log->ReadStream({.stream_id = "s", .from_version = 0, .backward = true, .limit = 2});
  ASSERT_OK(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ(back->at(0).envelope.event_type(), "E");
  EXPECT_EQ(back->at(1).envelope.event_type(), "D");
  auto mid = log->ReadStream({.stream_id = "s", .from_version = 3, .backward = true});
  ASSERT_OK(mid);
  EXPECT_EQ(mid->size(), 3u);
  auto fwd = log->ReadStream({.stream_id = "s", .from_version = 4});
  ASSERT_OK(fwd);
  EXPECT_EQ(fwd->size(), 2u);
  EXPECT_EQ(fwd->at(0).envelope.event_type(), "D");
}

TEST(EventLogTest, VersionConflictsCarryTheActualVersionAndWriteNothing) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::NoStream(), {"Registered"})));
  auto again = log->Append(Single("c2", "case-1", ExpectedVersion::NoStream(), {"Registered"}));
  ASSERT_EQ(again.status().code(), StatusCode::kAborted);
  EXPECT_EQ(*again.status().actual_version(), 1u);
  EXPECT_EQ(again.status().conflict_stream(), "case-1");
  auto stale = log->Append(Single("c3", "case-1", ExpectedVersion::Exactly(5), {"X"}));
  ASSERT_EQ(stale.status().code(), StatusCode::kAborted);
  EXPECT_EQ(*stale.status().actual_version(), 1u);
  EXPECT_EQ(log->HeadPosition(), 1u);
  EXPECT_EQ(History(*log, "case-1"), "Registered@1");
}

TEST(EventLogTest, MultiStreamAppendIsAllOrNothing) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::Any(), {"Registered"})));
  ASSERT_OK(log->Append(Single("c2", "case-2", ExpectedVersion::Any(), {"Registered"})));

  AppendRequest found = Single("c3", "coop-1", ExpectedVersion::NoStream(), {"CooperativeFounded"});
  found.writes.push_back({"case-1", ExpectedVersion::Exactly(1), {{.type = "JoinedCooperative"}}});
  found.writes.push_back({"case-2", ExpectedVersion::Exactly(7), {{.type = "JoinedCooperative"}}});
  auto bad = log->Append(found);
  ASSERT_EQ(bad.status().code(), StatusCode::kAborted);
  EXPECT_EQ(bad.status().conflict_stream(), "case-2");
  EXPECT_EQ(LogHistory(*log), "case-1:Registered@1 case-2:Registered@1");

  found.command_id = "c4";
  found.writes[2].expected = ExpectedVersion::Exactly(1);
  auto ok = log->Append(found);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->first_position, 3u);
  EXPECT_EQ(ok->last_position, 5u);
  EXPECT_EQ(LogHistory(*log),
            "case-1:Registered@1 case-2:Registered@1 coop-1:CooperativeFounded@1 "
            "case-1:JoinedCooperative@2 case-2:JoinedCooperative@2");
}

TEST(EventLogTest, CheckOnlyWriteGuardsADecisionWithoutWriting) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "coop-1", ExpectedVersion::Any(), {"Founded"})));
  AppendRequest req = Single("c2", "case-9", ExpectedVersion::Any(), {"MilestoneSeen"});
  req.writes.push_back({"coop-1", ExpectedVersion::Exactly(1), {}});
  auto r = log->Append(req);
  ASSERT_OK(r);
  EXPECT_EQ(r->streams.at(1).first_version, 0u);
  EXPECT_EQ(r->streams.at(1).new_version, 1u);
  req.command_id = "c3";
  req.writes[1].expected = ExpectedVersion::Exactly(2);
  EXPECT_EQ(log->Append(req).status().code(), StatusCode::kAborted);
}

TEST(EventLogTest, RepeatedCommandIdReturnsTheFirstAnswerAlsoAfterRestart) {
  TempDir dir;
  AppendResult first;
  {
    auto log = OpenLog(dir.path());
    auto r = log->Append(
        Single("cmd-42", "case-1", ExpectedVersion::NoStream(), {"Registered", "Noted"}));
    ASSERT_OK(r);
    first = *r;
    auto retry = log->Append(
        Single("cmd-42", "case-1", ExpectedVersion::NoStream(), {"Registered", "Noted"}));
    ASSERT_OK(retry);
    EXPECT_TRUE(retry->replayed);
    EXPECT_EQ(retry->last_position, first.last_position);
  }
  auto log = OpenLog(dir.path());
  // A retry after a restart, even with a stale expected version, gets the original answer.
  auto retry =
      log->Append(Single("cmd-42", "case-1", ExpectedVersion::NoStream(), {"Registered", "Noted"}));
  ASSERT_OK(retry);
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->first_position, first.first_position);
  EXPECT_EQ(retry->last_position, first.last_position);
  EXPECT_EQ(retry->streams.at(0).new_version, 2u);
  EXPECT_EQ(log->HeadPosition(), 2u);
  EXPECT_EQ(History(*log, "case-1"), "Registered@1 Noted@2");
}

TEST(EventLogTest, ReadAllFiltersByTypeAndPrefixAndPages) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::Any(), {"Registered", "Noted"})));
  ASSERT_OK(log->Append(Single("c2", "coop-1", ExpectedVersion::Any(), {"Founded"})));
  ASSERT_OK(log->Append(Single("c3", "case-2", ExpectedVersion::Any(), {"Registered"})));

  auto regs = log->ReadAll({.event_types = {"Registered"}});
  ASSERT_OK(regs);
  ASSERT_EQ(regs->events.size(), 2u);
  EXPECT_EQ(regs->events[1].envelope.stream_id(), "case-2");
  EXPECT_EQ(regs->next_position, 5u);
  EXPECT_EQ(regs->head_position, 4u);

  auto coops = log->ReadAll({.stream_prefix = "coop-"});
  ASSERT_OK(coops);
  ASSERT_EQ(coops->events.size(), 1u);

  auto page = log->ReadAll({.from_position = 2, .limit = 2});
  ASSERT_OK(page);
  ASSERT_EQ(page->events.size(), 2u);
  EXPECT_EQ(page->events[0].envelope.position(), 2u);
  EXPECT_EQ(page->next_position, 4u);
}

TEST(EventLogTest, ListsStreamsByPrefixInPages) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  for (const char* s : {"case-1", "case-2", "case-3", "coop-1"}) {
    ASSERT_OK(log->Append(Single(std::string("c-") + s, s, ExpectedVersion::Any(), {"E"})));
  }
  auto first = log->ListStreams("case-", "", 2);
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ(first->at(1).stream_id, "case-2");
  auto rest = log->ListStreams("case-", "case-2", 10);
  ASSERT_OK(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->at(0).stream_id, "case-3");
  auto stats = log->Stats();
  ASSERT_OK(stats);
  EXPECT_EQ(stats->streams, 4u);
  EXPECT_EQ(stats->events, 4u);
  EXPECT_GT(stats->disk_bytes, 0u);
}

TEST(EventLogTest, BadInputIsRefusedAndChangesNothing) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::Any(), {"Registered"})));
  auto empty_id = log->Append(Single("c2", "", ExpectedVersion::Any(), {"E"}));
  EXPECT_EQ(empty_id.status().code(), StatusCode::kInvalidArgument);
  auto huge = Single("c3", "case-1", ExpectedVersion::Any(), {"E"});
  huge.writes[0].events[0].payload = std::string((1 << 20) + 1, 'x');
  EXPECT_EQ(log->Append(huge).status().violations().at(0).rule, "max_size");
  auto reserved = log->Append(Single("c4", "$erasures", ExpectedVersion::Any(), {"E"}));
  EXPECT_EQ(reserved.status().code(), StatusCode::kInvalidArgument);
  auto no_actor = Single("c5", "case-1", ExpectedVersion::Any(), {"E"});
  no_actor.actor.clear_user_id();
  EXPECT_EQ(log->Append(no_actor).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(log->HeadPosition(), 1u);
  EXPECT_EQ(LogHistory(*log), "case-1:Registered@1");
}

TEST(EventLogTest, OpenExplainsMissingLockedAndNewerDirectories) {
  TempDir dir;
  Options missing{.data_dir = dir.Sub("nope"), .create_if_missing = false};
  auto m = EventLog::Open(missing);
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("no piseruma data directory"), std::string::npos);

  auto log = OpenLog(dir.path());
  auto second = EventLog::Open({.data_dir = dir.path()});
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find("in use by another process"), std::string::npos);
  // A read-only open takes no lock and refuses writes.
  auto ro = EventLog::Open({.data_dir = dir.path(), .read_only = true});
  ASSERT_OK(ro);
  EXPECT_EQ((*ro)->Append(Single("c", "s", ExpectedVersion::Any(), {"E"})).status().code(),
            StatusCode::kFailedPrecondition);
  log.reset();

  {  // Pretend a newer piseruma wrote the directory.
    rocksdb::DB* raw = nullptr;
    rocksdb::Options o;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    std::vector<std::string> names;
    ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(o, dir.Sub("db"), &names).ok());
    for (const auto& n : names) cfs.emplace_back(n, rocksdb::ColumnFamilyOptions());
    ASSERT_TRUE(rocksdb::DB::Open(o, dir.Sub("db"), cfs, &handles, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), std::string(keys::kFormatVersionKey),
                         std::string("\x09\x00\x00\x00", 4))
                    .ok());
    for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  auto newer = EventLog::Open({.data_dir = dir.path()});
  EXPECT_EQ(newer.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(newer.status().message().find("newer piseruma"), std::string::npos);
}

TEST(EventLogTest, SnapshotsStoreStateAtAVersion) {
  TempDir dir;
  auto log = OpenLog(dir.path());
  ASSERT_OK(log->Append(Single("c1", "case-1", ExpectedVersion::Any(), {"A", "B", "C"})));
  auto none = log->LoadSnapshot("case-1");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  Snapshot s;
  s.set_stream_id("case-1");
  s.set_version(3);
  s.set_state_type("CaseState/v1");
  s.set_state("folded");
  ASSERT_OK(log->SaveSnapshot(s));
  auto loaded = log->LoadSnapshot("case-1");
  ASSERT_OK(loaded);
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->version(), 3u);
  EXPECT_EQ((*loaded)->state(), "folded");
  s.set_version(4);
  EXPECT_EQ(log->SaveSnapshot(s).code(), StatusCode::kInvalidArgument) << "ahead of the stream";
}

TEST(EventLogTest, InjectedClockAndRandomMakeTheLogDeterministic) {
  auto run = [](const std::string& path) {
    ManualClock clock(1'700'000'000'000'000);
    SeededRandom rng(7);
    auto log = OpenLog(path, &clock, &rng);
    AppendRequest req = Single("c1", "case-1", ExpectedVersion::Any(), {"Registered"});
    req.writes[0].events[0].subject = "p-1";
    req.writes[0].events[0].personal["name"] = "Synthetic Name";
    EXPECT_OK(log->Append(req));
    clock.Advance(std::chrono::hours(24));
    EXPECT_OK(log->Append(Single("c2", "case-1", ExpectedVersion::Any(), {"Noted"})));
    return log->ReadAt(2, false)->envelope.hash();
  };
  TempDir a, b;
  EXPECT_EQ(run(a.path()), run(b.path()));
}

}  // namespace
}  // namespace piseruma::engine
