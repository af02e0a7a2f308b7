#include "workflows/dates.h"

#include <cstdio>

namespace piseruma::workflows {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
Day DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(Day z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::optional<Day> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  if (!Digits(s.substr(0, 4)) || !Digits(s.substr(5, 2)) || !Digits(s.substr(8, 2))) return std::nullopt;
  const int64_t y = std::stoi(std::string(s.substr(0, 4)));
  const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
  const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return DaysFromCivil(y, m, d);
}

std::string FormatDate(Day day) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

Day DayInMorocco(int64_t utc_micros) {
  const int64_t local_secs = utc_micros / 1'000'000 + 3600;
  return local_secs >= 0 ? local_secs / 86400 : (local_secs - 86399) / 86400;
}

Day AddMonths(Day day, int months) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months;
  y = total / 12;
  m = static_cast<unsigned>(total % 12) + 1;
  if (d > DaysInMonth(y, m)) d = DaysInMonth(y, m);
  return DaysFromCivil(y, m, d);
}

int YearsBetween(Day birth, Day on) {
  int64_t by, oy;
  unsigned bm, bd, om, od;
  CivilFromDays(birth, &by, &bm, &bd);
  CivilFromDays(on, &oy, &om, &od);
  int years = static_cast<int>(oy - by);
  if (om < bm || (om == bm && od < bd)) --years;
  return years;
}

}  // namespace piseruma::workflows
