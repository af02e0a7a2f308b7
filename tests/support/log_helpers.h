// Helpers for engine tests: terse appends and golden-string histories.
//
//   auto log = OpenLog(dir.path());
//   ASSERT_OK(log->Append(Single("cmd-1", "case-1", ExpectedVersion::NoStream(), {"Registered"})));
//   EXPECT_EQ(History(*log, "case-1"), "Registered@1");
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/event_log.h"

namespace piseruma::testing {

// An append of events of the given types to one stream, actor "u-test" (caseworker).
engine::AppendRequest Single(const std::string& command_id, const std::string& stream,
                             engine::ExpectedVersion expected,
                             const std::vector<std::string>& types);

// Opens a writable log in `dir`, failing the test on error.
std::unique_ptr<engine::EventLog> OpenLog(const std::string& dir, engine::Clock* clock = nullptr,
                                          engine::RandomSource* random = nullptr);

// "Registered@1 ConsentGiven@2" — event types and stream versions of a stream.
std::string History(const engine::EventLog& log, const std::string& stream);

// "case-1:Registered@1 case-2:Registered@1" — the whole log in position order.
std::string LogHistory(const engine::EventLog& log);

}  // namespace piseruma::testing

#define ASSERT_OK(expr)                                           \
  do {                                                            \
    const auto& _s = (expr);                                           \
    ASSERT_TRUE(_s.ok()) << ::piseruma::testing::Describe(_s);    \
  } while (0)
#define EXPECT_OK(expr)                                           \
  do {                                                            \
    const auto& _s = (expr);                                           \
    EXPECT_TRUE(_s.ok()) << ::piseruma::testing::Describe(_s);    \
  } while (0)

namespace piseruma::testing {
inline std::string Describe(const Status& s) { return s.ToString(); }
template <typename T>
std::string Describe(const Result<T>& r) { return r.status().ToString(); }
}  // namespace piseruma::testing
