// The demo's users: every city staffed, ids unique and stable, roles as the workflows expect.
#include "demo/staff.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace piseruma::demo {
namespace {

const std::vector<std::string> kCities = {"Rabat",  "Casablanca", "Oujda", "Kénitra", "Tanger",
                                          "Meknès", "Tétouan",    "Fès",   "Agadir",  "Marrakech"};

TEST(StaffTest, EveryCityHasCaseworkersAndASupervisor) {
  const auto users = DemoStaff(2000, kCities);
  std::map<std::string, int> caseworkers, supervisors;
  std::set<std::string> ids;
  for (const auto& u : users) {
    EXPECT_TRUE(ids.insert(u.user_id).second) << "duplicate id " << u.user_id;
    EXPECT_NE(u.display_name.find("Démo"), std::string::npos) << u.display_name;
    for (const auto& c : u.cities) {
      if (u.role == "caseworker") ++caseworkers[c];
      if (u.role == "supervisor" && u.user_id != "u-coordinator") ++supervisors[c];
    }
  }
  for (const auto& c : kCities) {
    EXPECT_GE(caseworkers[c], 2) << c;
    EXPECT_EQ(supervisors[c], 1) << c;
  }
  EXPECT_EQ(users.front().user_id, "u-admin");
  EXPECT_EQ(users[1].user_id, "u-coordinator");
  EXPECT_EQ(users[1].cities.size(), kCities.size());
  EXPECT_GE(caseworkers["Rabat"], caseworkers["Agadir"]) << "staff follow the caseload";
  std::set<std::string> roles;
  for (const auto& u : users) roles.insert(u.role);
  EXPECT_EQ(roles,
            (std::set<std::string>{"admin", "supervisor", "caseworker", "auditor", "committee"}));
}

TEST(StaffTest, TheRosterIsStableAndBounded) {
  const auto a = DemoStaff(2000, kCities);
  const auto b = DemoStaff(2000, kCities);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].user_id, b[i].user_id);
  const auto large = DemoStaff(100000, kCities);
  EXPECT_LE(large.size(), 10u * 12 + 7 + 5) << "at most 12 caseworkers per city";
  std::set<std::string> names;
  for (const auto& u : large) names.insert(u.display_name.substr(0, u.display_name.find(" — ")));
  EXPECT_EQ(names.size(), large.size()) << "every user has a name of their own";
  EXPECT_EQ(a[2].user_id, "u-sup-rabat-kenitra");
  EXPECT_EQ(CitySlug("Tétouan"), "tetouan");
  EXPECT_EQ(CitySlug("Fès"), "fes");
}

}  // namespace
}  // namespace piseruma::demo
