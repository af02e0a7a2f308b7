#include "workflows/dates.h"

#include <gtest/gtest.h>

namespace piseruma::workflows {
namespace {

TEST(DatesTest, ParseAndFormatRoundTrip) {
  for (const char* d : {"1970-01-01", "2000-02-29", "2026-11-29", "1999-12-31"}) EXPECT_EQ(FormatDate(*ParseDate(d)), d);
  EXPECT_EQ(*ParseDate("1970-01-02"), 1);
  for (const char* bad : {"", "2026-2-01", "2026-02-30", "2023-02-29", "2026-13-01", "abcd-ef-gh", "2026/01/01"}) {
    EXPECT_FALSE(ParseDate(bad)) << bad;
  }
}

TEST(DatesTest, MonthsAndYears) {
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2024-01-31"), 1)), "2024-02-29");
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2020-02-29"), 24)), "2022-02-28");
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2025-11-15"), 3)), "2026-02-15");
  EXPECT_EQ(YearsBetween(*ParseDate("2008-06-15"), *ParseDate("2026-06-14")), 17);
  EXPECT_EQ(YearsBetween(*ParseDate("2008-06-15"), *ParseDate("2026-06-15")), 18);
}

TEST(DatesTest, TodayIsTheMoroccanDate) {
  // 2026-06-15T23:30:00Z is already the 16th in Morocco (UTC+1).
  EXPECT_EQ(FormatDate(DayInMorocco(1'781'566'200'000'000)), "2026-06-16");
  EXPECT_EQ(FormatDate(DayInMorocco(1'781'517'600'000'000)), "2026-06-15");
}

}  // namespace
}  // namespace piseruma::workflows
