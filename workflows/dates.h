// ISO 8601 calendar dates (YYYY-MM-DD) as day numbers, for guards and deadlines.
//
// Days are counted from 1970-01-01 (civil calendar, proleptic Gregorian). "Today" is the
// date in Morocco: UTC+1 (the legal time outside Ramadan). Known limit: during Ramadan
// Morocco observes UTC+0, so between 23:00 and 24:00 UTC "today" is one day ahead there.
//
// Thread-safety: pure functions.
//
//   auto d = ParseDate("2026-02-28");          // nullopt when malformed or impossible
//   std::string s = FormatDate(*d + 15);       // "2026-03-15"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace piseruma::workflows {

using Day = int64_t;  // days since 1970-01-01

std::optional<Day> ParseDate(std::string_view iso);
std::string FormatDate(Day day);
// The date in Morocco at `utc_micros`.
Day DayInMorocco(int64_t utc_micros);
// `day` moved by whole calendar months, clamped to the month's end (Jan 31 + 1 = Feb 28).
Day AddMonths(Day day, int months);
// Whole years from `birth` to `on` (a birthday counts on its day).
int YearsBetween(Day birth, Day on);

}  // namespace piseruma::workflows
