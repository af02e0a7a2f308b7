// Population: the demo's synthetic participants — never real people.
//
// Each person is drawn from the shares of /work/shared/domain.md (UNHCR Morocco figures):
// city weighted by its refugee population, nationality, sex, age group, education level,
// specific needs and Washington Group difficulties, household size. Names are a common
// given name followed by "Exemple-<number>", phones sit in the non-existent +212 000 block
// and UNHCR numbers read "MOR-DEMO-…", so nobody can mistake them for a real person's.
//
// Thread-safety: a Population is immutable after construction; Draw() uses only the
// generator it is given.
//
//   Population population(registry.params().cities());
//   DemoRng rng(MixSeed(seed, 17));
//   Person p = population.Draw(17, rng);
//   RegisterParticipant cmd = population.ToRegistration(p, *ParseDate("2025-01-06"));
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "demo/rng.h"
#include "workflows/dates.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {

struct Person {
  uint32_t index = 0;
  std::string unhcr_id;   // "MOR-DEMO-000018"
  std::string full_name;  // "Amina Exemple-0018"
  std::string sex;        // female | male | not_stated
  int age_years = 0;      // at registration
  int days_since_birthday = 1;
  std::string nationality;
  size_t city = 0;      // index into Population::cities()
  std::string phone;    // "" when none was given
  std::string address;  // "" when none was given
  std::vector<std::string> languages;
  std::string education_level;  // none | primary | secondary | university | "" (not recorded)
  std::string prior_occupation;
  std::vector<std::string> skills;
  std::vector<std::string> specific_needs;
  workflows::WashingtonGroup disability;
  uint32_t household_size = 1;
};

class Population {
 public:
  // `cities` are the programme's (programme.textproto). A city the domain brief gives no
  // figure for weighs like the small cities.
  explicit Population(std::vector<std::string> cities);

  // The person number `index` (0-based), drawn from `rng`.
  Person Draw(uint32_t index, DemoRng& rng) const;

  // The intake form of this person, registered on `registered_on`.
  workflows::RegisterParticipant ToRegistration(const Person& person,
                                                workflows::Day registered_on) const;

  const std::vector<std::string>& cities() const { return cities_; }
  const std::vector<uint32_t>& city_weights() const { return city_weights_; }

 private:
  std::vector<std::string> cities_;
  std::vector<uint32_t> city_weights_;
};

// The configured shares, as (value, weight): what the generated population must match.
// Refugees by city, 2021; Tanger, Tétouan and Agadir ("a few hundred each") count 300.
uint32_t CityWeight(const std::string& city);
// Refugees by nationality, UNHCR Morocco, Aug 2024.
const std::vector<std::pair<std::string, uint32_t>>& NationalityWeights();
// The nationalities named in the brief; the others share the brief's "others" (404).
bool NamedNationality(const std::string& nationality);
// Adults ~62% men; a few prefer not to state it.
const std::vector<std::pair<std::string, uint32_t>>& SexWeights();
// Participants are adults: 18-24, 25-59, 60+.
const std::vector<std::pair<std::string, uint32_t>>& AgeGroupWeights();
// 23% none, 34% primary, 24% secondary, 16% university, the rest not recorded ("").
const std::vector<std::pair<std::string, uint32_t>>& EducationWeights();

// The date of birth that makes the person age_years old on `registered_on`.
std::string DateOfBirth(const Person& person, workflows::Day registered_on);

}  // namespace piseruma::demo
