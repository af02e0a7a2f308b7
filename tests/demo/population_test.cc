// The synthetic population matches the domain brief's shares, and nobody in it could be
// mistaken for a real person.
#include "demo/population.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>

#include "workflows/registry.h"

namespace piseruma::demo {
namespace {

constexpr uint32_t kPeople = 20000;

std::vector<std::string> Cities() {
  auto registry = workflows::WorkflowRegistry::LoadDirectory(workflows::DefaultDefinitionsDir());
  EXPECT_TRUE(registry.ok()) << registry.status().ToString();
  const auto& c = (*registry)->params().cities();
  return {c.begin(), c.end()};
}

// Observed shares within four standard errors of the configured ones.
void ExpectShares(const std::map<std::string, uint32_t>& counts,
                  const std::vector<std::pair<std::string, uint32_t>>& weights, uint32_t n,
                  const char* what) {
  double total = 0;
  for (const auto& [value, w] : weights) total += w;
  for (const auto& [value, w] : weights) {
    const double expected = w / total;
    const double observed = counts.count(value) ? counts.at(value) / static_cast<double>(n) : 0.0;
    const double tolerance = 4 * std::sqrt(expected * (1 - expected) / n) + 1e-9;
    EXPECT_NEAR(observed, expected, tolerance) << what << " " << value;
  }
}

class PopulationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint32_t i = 0; i < kPeople; ++i) {
      DemoRng rng(MixSeed(3, i));
      people_.push_back(population_.Draw(i, rng));
    }
  }
  Population population_{Cities()};
  std::vector<Person> people_;
};

TEST_F(PopulationTest, SharesFollowTheDomainBrief) {
  std::map<std::string, uint32_t> city, sex, nationality, age, education;
  for (const Person& p : people_) {
    ++city[population_.cities()[p.city]];
    ++sex[p.sex];
    ++nationality[NamedNationality(p.nationality) ? p.nationality : "others"];
    ++age[p.age_years < 25 ? "18-24" : p.age_years < 60 ? "25-59" : "60+"];
    ++education[p.education_level];
  }
  std::vector<std::pair<std::string, uint32_t>> cities, nationalities;
  for (const auto& c : population_.cities()) cities.emplace_back(c, CityWeight(c));
  uint32_t others = 0;
  for (const auto& [n, w] : NationalityWeights()) {
    if (NamedNationality(n))
      nationalities.emplace_back(n, w);
    else
      others += w;
  }
  nationalities.emplace_back("others", others);
  EXPECT_EQ(others, 404u) << "the brief's 9,120 refugees minus the twelve named nationalities";
  EXPECT_EQ(city.size(), 10u);
  ExpectShares(city, cities, kPeople, "city");
  ExpectShares(sex, SexWeights(), kPeople, "sex");
  ExpectShares(nationality, nationalities, kPeople, "nationality");
  ExpectShares(age, AgeGroupWeights(), kPeople, "age group");
  ExpectShares(education, EducationWeights(), kPeople, "education");
}

TEST_F(PopulationTest, EveryoneIsObviouslySyntheticAndAnAdult) {
  const std::regex name(R"(^\S.* Exemple-\d{4,}$)");
  const workflows::Day registered = *workflows::ParseDate("2025-03-10");
  double household = 0;
  for (const Person& p : people_) {
    ASSERT_TRUE(std::regex_match(p.full_name, name)) << p.full_name;
    ASSERT_TRUE(p.phone.empty() || p.phone.rfind("+212 000 ", 0) == 0) << p.phone;
    ASSERT_EQ(p.unhcr_id.rfind("MOR-DEMO-", 0), 0u) << p.unhcr_id;
    const auto birth = workflows::ParseDate(DateOfBirth(p, registered));
    ASSERT_TRUE(birth);
    ASSERT_EQ(workflows::YearsBetween(*birth, registered), p.age_years);
    ASSERT_GE(p.age_years, 18);
    ASSERT_GE(p.household_size, 1u);
    ASSERT_LE(p.household_size, 10u);
    household += p.household_size;
  }
  EXPECT_NEAR(household / kPeople, 3.9, 0.6) << "mean household size";
}

TEST_F(PopulationTest, TheRegistrationFormCarriesThePerson) {
  const Person& p = people_[41];
  const auto form = population_.ToRegistration(p, *workflows::ParseDate("2025-01-06"));
  EXPECT_EQ(form.full_name(), p.full_name);
  EXPECT_EQ(form.city(), population_.cities()[p.city]);
  EXPECT_EQ(form.registered_on(), "2025-01-06");
  EXPECT_EQ(form.household_size(), p.household_size);
  EXPECT_EQ(form.disability().seeing().empty(), false)
      << "every Washington Group domain is answered";
  EXPECT_TRUE(form.caseworker_id().empty()) << "the registering caseworker is the default";
}

}  // namespace
}  // namespace piseruma::demo
