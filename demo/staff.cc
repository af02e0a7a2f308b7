#include "demo/staff.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "demo/population.h"

namespace piseruma::demo {
namespace {

constexpr double kParticipantsPerCaseworker = 150;
constexpr uint64_t kMinCaseworkersPerCity = 2;  // so a case can move to a colleague
constexpr uint64_t kMaxCaseworkersPerCity = 12;

// Supervisors cover neighbouring cities, as AMAPPE's coordinators do.
const std::vector<std::vector<std::string>>& Regions() {
  static const auto* r = new std::vector<std::vector<std::string>>{
      {"Rabat", "Kénitra"},  {"Casablanca"},    {"Oujda"},
      {"Tanger", "Tétouan"}, {"Fès", "Meknès"}, {"Marrakech", "Agadir"}};
  return *r;
}

const std::vector<std::string> kStaffWomen = {
    "Salma", "Nadia", "Khadija", "Imane", "Houda", "Sanaa", "Meryem", "Loubna", "Hajar", "Ghita",
    "Siham", "Asmae", "Zineb",   "Najat", "Wafae", "Kenza", "Ilham",  "Souad",  "Hind",  "Latifa"};
const std::vector<std::string> kStaffMen = {"Youssef", "Hicham", "Rachid",  "Karim", "Anas",
                                            "Mehdi",   "Reda",   "Said",    "Omar",  "Adil",
                                            "Tarik",   "Hamza",  "Yassine", "Driss", "Mustapha",
                                            "Nabil",   "Jamal",  "Khalid",  "Amine", "Soufiane"};

// "Salma Démo", then "Salma B. Démo" once every name has been used: display names stay unique.
std::string StaffName(size_t n) {
  const auto& names = n % 2 == 0 ? kStaffWomen : kStaffMen;
  const size_t round = n / 2 / names.size();
  const std::string initial =
      round == 0 ? "" : std::string(1, static_cast<char>('A' + round % 26)) + ". ";
  return names[(n / 2) % names.size()] + " " + initial + "Démo";
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

}  // namespace

std::string CitySlug(const std::string& city) {
  std::string out;
  for (size_t i = 0; i < city.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(city[i]);
    if (c == 0xC3 && i + 1 < city.size()) {  // Latin-1 supplement in UTF-8
      const unsigned char d = static_cast<unsigned char>(city[++i]);
      if (d >= 0xA0 && d <= 0xA5)
        out.push_back('a');
      else if (d == 0xA7)
        out.push_back('c');
      else if (d >= 0xA8 && d <= 0xAB)
        out.push_back('e');
      else if (d >= 0xAC && d <= 0xAF)
        out.push_back('i');
      else if (d >= 0xB2 && d <= 0xB6)
        out.push_back('o');
      else if (d >= 0xB9 && d <= 0xBC)
        out.push_back('u');
    } else if (std::isalnum(c)) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  return out;
}

std::vector<DemoUser> DemoStaff(uint64_t participants, const std::vector<std::string>& cities) {
  std::vector<DemoUser> users;
  size_t names = 0;
  users.push_back({"u-admin", StaffName(names++) + " — administrateur·rice", "admin", {}});
  users.push_back(
      {"u-coordinator", StaffName(names++) + " — coordination nationale", "supervisor", cities});

  std::vector<std::vector<std::string>> regions;
  std::vector<std::string> covered;
  for (const auto& region : Regions()) {
    std::vector<std::string> present;
    for (const auto& c : region) {
      if (std::find(cities.begin(), cities.end(), c) != cities.end()) present.push_back(c);
    }
    if (!present.empty()) regions.push_back(present);
    covered.insert(covered.end(), present.begin(), present.end());
  }
  for (const auto& c : cities) {
    if (std::find(covered.begin(), covered.end(), c) == covered.end()) regions.push_back({c});
  }
  for (const auto& region : regions) {
    std::vector<std::string> slugs;
    for (const auto& c : region) slugs.push_back(CitySlug(c));
    users.push_back({"u-sup-" + Join(slugs, "-"),
                     StaffName(names++) + " — supervision, " + Join(region, " et "), "supervisor",
                     region});
  }

  uint64_t total_weight = 0;
  for (const auto& c : cities) total_weight += CityWeight(c);
  for (const auto& c : cities) {
    const double expected =
        static_cast<double>(participants) * CityWeight(c) / static_cast<double>(total_weight);
    const uint64_t n = std::clamp<uint64_t>(
        static_cast<uint64_t>(std::ceil(expected / kParticipantsPerCaseworker)),
        kMinCaseworkersPerCity, kMaxCaseworkersPerCity);
    for (uint64_t i = 1; i <= n; ++i) {
      const bool woman = names % 2 == 0;
      users.push_back({"u-cw-" + CitySlug(c) + "-" + std::to_string(i),
                       StaffName(names++) + (woman ? " — conseillère, " : " — conseiller, ") + c,
                       "caseworker",
                       {c}});
    }
  }

  users.push_back({"u-auditor", StaffName(names++) + " — audit (HCR)", "auditor", {}});
  users.push_back(
      {"u-committee-unhcr", StaffName(names++) + " — comité de pilotage (HCR)", "committee", {}});
  users.push_back({"u-committee-anapec",
                   StaffName(names++) + " — comité de pilotage (ANAPEC)",
                   "committee",
                   {}});
  return users;
}

}  // namespace piseruma::demo
