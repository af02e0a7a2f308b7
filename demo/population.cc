#include "demo/population.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace piseruma::demo {
namespace {

using Weights = std::vector<std::pair<std::string, uint32_t>>;
using Names = std::vector<std::string>;

// ---- Shares (domain.md, "A realistic synthetic population") -------------------------

const std::map<std::string, uint32_t>& CityTable() {
  // Refugees by city, 2021. "Tanger, Tétouan, Agadir: a few hundred each" → 300.
  static const auto* t = new std::map<std::string, uint32_t>{
      {"Rabat", 1328},  {"Casablanca", 923}, {"Oujda", 775},  {"Marrakech", 488}, {"Fès", 461},
      {"Kénitra", 422}, {"Meknès", 421},     {"Tanger", 300}, {"Tétouan", 300},   {"Agadir", 300}};
  return *t;
}
constexpr uint32_t kUnknownCityWeight = 300;

// How a nationality's people tend to live and speak, for household sizes and languages.
enum class Group { kArabic, kFrancophone, kAnglophone, kHornOfAfrica };

struct Nationality {
  const char* name;
  uint32_t weight;
  Group group;
  const char* home_language;  // besides Arabic / French / English; "" when none
};

const std::vector<Nationality>& NationalityTable() {
  // Refugees by nationality, UNHCR Morocco, Aug 2024 (9,120 refugees). The brief's
  // "others" (404) are spread over five nationalities, for illustration only.
  static const auto* t = new std::vector<Nationality>{
      {"Syria", 5475, Group::kArabic, ""},
      {"Central African Republic", 1151, Group::kFrancophone, "sg"},
      {"Yemen", 565, Group::kArabic, ""},
      {"Sudan", 377, Group::kArabic, ""},
      {"South Sudan", 261, Group::kAnglophone, "ar"},
      {"Côte d'Ivoire", 240, Group::kFrancophone, "dyu"},
      {"Guinea", 139, Group::kFrancophone, "ff"},
      {"DR Congo", 128, Group::kFrancophone, "ln"},
      {"Palestine", 122, Group::kArabic, ""},
      {"Cameroon", 98, Group::kFrancophone, "en"},
      {"Senegal", 88, Group::kFrancophone, "wo"},
      {"Mali", 72, Group::kFrancophone, "bm"},
      {"Iraq", 110, Group::kArabic, ""},
      {"Chad", 90, Group::kFrancophone, "ar"},
      {"Nigeria", 80, Group::kAnglophone, "ha"},
      {"Liberia", 64, Group::kAnglophone, ""},
      {"Eritrea", 60, Group::kHornOfAfrica, "ti"},
  };
  return *t;
}
constexpr size_t kNamedNationalities = 12;  // the first twelve rows above

// Household sizes 1..10. Families who fled together (Syria, Yemen, …) live in larger
// households than people who travelled alone (assumption; no figure in the brief).
const std::vector<uint32_t> kHouseholdFamilies = {10, 10, 14, 18, 17, 13, 9, 5, 3, 1};
const std::vector<uint32_t> kHouseholdSingles = {38, 17, 15, 12, 8, 5, 3, 2, 0, 0};

// ---- Synthetic identities ------------------------------------------------------------

const Names kArabicWomen = {"Amina",   "Fatima", "Rania",  "Lina",   "Hala", "Nour",
                            "Yasmine", "Mariam", "Reem",   "Salma",  "Dima", "Huda",
                            "Layla",   "Rasha",  "Samira", "Zeinab", "Asma", "Khadija"};
const Names kArabicMen = {"Ahmad",  "Mohammed", "Omar",    "Khaled", "Youssef", "Ali",
                          "Hassan", "Ibrahim",  "Mahmoud", "Samir",  "Tarek",   "Bilal",
                          "Karim",  "Walid",    "Fadi",    "Adnan",  "Nabil",   "Hamza"};
const Names kFrancophoneWomen = {"Aïcha",   "Mariama",  "Fatoumata",  "Grâce",   "Divine",
                                 "Esther",  "Clarisse", "Awa",        "Aminata", "Prisca",
                                 "Josiane", "Nadège",   "Christelle", "Bintou"};
const Names kFrancophoneMen = {"Jean-Baptiste", "Moussa",  "Ibrahima", "Serge",   "Emmanuel",
                               "Prince",        "Mamadou", "Patrick",  "Olivier", "Arsène",
                               "Souleymane",    "Cédric",  "Fabrice",  "Boubacar"};
const Names kAnglophoneWomen = {"Grace", "Mary",   "Rebecca", "Sarah",
                                "Joy",   "Esther", "Achol",   "Nyandeng"};
const Names kAnglophoneMen = {"James",  "John",  "Peter", "Samuel",
                              "Daniel", "David", "Deng",  "Garang"};
const Names kHornWomen = {"Senait", "Helen", "Saba", "Mebrat", "Yohana"};
const Names kHornMen = {"Yonas", "Dawit", "Tesfay", "Berhane", "Kidane"};

const Names& GivenNames(Group g, bool woman) {
  switch (g) {
    case Group::kArabic:
      return woman ? kArabicWomen : kArabicMen;
    case Group::kFrancophone:
      return woman ? kFrancophoneWomen : kFrancophoneMen;
    case Group::kAnglophone:
      return woman ? kAnglophoneWomen : kAnglophoneMen;
    case Group::kHornOfAfrica:
      return woman ? kHornWomen : kHornMen;
  }
  return kArabicWomen;
}

const Names kOccupationsBasic = {
    "agriculteur·rice", "vendeur·se ambulant·e", "ouvrier·ère du bâtiment", "couturier·ère",
    "cuisinier·ère",    "agent·e d'entretien",   "sans emploi antérieur"};
const Names kOccupationsSecondary = {"commerçant·e",   "coiffeur·se",  "mécanicien·ne",
                                     "électricien·ne", "chauffeur·se", "aide-soignant·e",
                                     "pâtissier·ère"};
const Names kOccupationsUniversity = {"enseignant·e", "comptable",        "infirmier·ère",
                                      "ingénieur·e",  "informaticien·ne", "juriste",
                                      "pharmacien·ne"};
const Names kSkills = {"couture",      "cuisine", "coiffure",     "maçonnerie", "électricité",
                       "informatique", "langues", "vente",        "conduite",   "pâtisserie",
                       "plomberie",    "soins",   "comptabilité", "artisanat"};
const Names kStreets = {"rue des Exemples", "avenue de la Démo", "impasse Fictive",
                        "rue Imaginaire", "boulevard du Test"};

const std::vector<const char*> kWashingtonDomains = {"seeing",    "hearing",   "walking",
                                                     "cognition", "self_care", "communication"};
const std::vector<uint32_t> kWashingtonDomainWeights = {30, 10, 30, 15, 5, 10};

void SetDifficulty(workflows::WashingtonGroup* wg, size_t domain, const std::string& level) {
  const auto* field = wg->GetDescriptor()->FindFieldByName(kWashingtonDomains[domain]);
  wg->GetReflection()->SetString(wg, field, level);
}

workflows::WashingtonGroup DrawDisability(DemoRng& rng, bool older) {
  workflows::WashingtonGroup wg;
  for (size_t d = 0; d < kWashingtonDomains.size(); ++d) SetDifficulty(&wg, d, "no_difficulty");
  // ~78% no difficulty, ~15% some, ~6.5% a lot, ~0.5% cannot do (twice as likely at 60+).
  const uint32_t scale = older ? 2 : 1;
  const size_t kind = rng.Pick({1000 - scale * 220, scale * 150, scale * 65, scale * 5});
  if (kind == 0) return wg;
  static const char* kLevels[] = {"", "some_difficulty", "a_lot_of_difficulty", "cannot_do"};
  SetDifficulty(&wg, rng.Pick(kWashingtonDomainWeights), kLevels[kind]);
  if (rng.Chance(0.3)) SetDifficulty(&wg, rng.Pick(kWashingtonDomainWeights), "some_difficulty");
  return wg;
}

bool Severe(const workflows::WashingtonGroup& wg) {
  for (size_t d = 0; d < kWashingtonDomains.size(); ++d) {
    const auto* field = wg.GetDescriptor()->FindFieldByName(kWashingtonDomains[d]);
    const std::string v = wg.GetReflection()->GetString(wg, field);
    if (v == "a_lot_of_difficulty" || v == "cannot_do") return true;
  }
  return false;
}

template <typename T>
size_t PickWeighted(DemoRng& rng, const std::vector<std::pair<T, uint32_t>>& table) {
  std::vector<uint32_t> w;
  w.reserve(table.size());
  for (const auto& [value, weight] : table) w.push_back(weight);
  return rng.Pick(w);
}

std::string Padded(uint32_t n, int width) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%0*u", width, n);
  return buf;
}

}  // namespace

uint32_t CityWeight(const std::string& city) {
  auto it = CityTable().find(city);
  return it == CityTable().end() ? kUnknownCityWeight : it->second;
}

const Weights& NationalityWeights() {
  static const auto* w = [] {
    auto* out = new Weights;
    for (const auto& n : NationalityTable()) out->emplace_back(n.name, n.weight);
    return out;
  }();
  return *w;
}

bool NamedNationality(const std::string& nationality) {
  for (size_t i = 0; i < kNamedNationalities; ++i) {
    if (nationality == NationalityTable()[i].name) return true;
  }
  return false;
}

const Weights& SexWeights() {
  static const auto* w = new Weights{{"male", 615}, {"female", 375}, {"not_stated", 10}};
  return *w;
}

const Weights& AgeGroupWeights() {
  // 18-59 ~64% and 60+ ~3% of all persons → 60+ is ~4.5% of adults. Livelihood
  // participants are mostly of working age; 18-24 is an assumption (no figure given).
  static const auto* w = new Weights{{"18-24", 200}, {"25-59", 755}, {"60+", 45}};
  return *w;
}

const Weights& EducationWeights() {
  static const auto* w =
      new Weights{{"none", 23}, {"primary", 34}, {"secondary", 24}, {"university", 16}, {"", 3}};
  return *w;
}

Population::Population(std::vector<std::string> cities) : cities_(std::move(cities)) {
  for (const auto& c : cities_) city_weights_.push_back(CityWeight(c));
}

Person Population::Draw(uint32_t index, DemoRng& rng) const {
  Person p;
  p.index = index;
  p.unhcr_id = "MOR-DEMO-" + Padded(index + 1, 6);
  p.city = rng.Pick(city_weights_);
  const Nationality& nat = NationalityTable()[PickWeighted(rng, NationalityWeights())];
  p.nationality = nat.name;
  p.sex = SexWeights()[PickWeighted(rng, SexWeights())].first;

  const std::string age_group = AgeGroupWeights()[PickWeighted(rng, AgeGroupWeights())].first;
  if (age_group == "18-24")
    p.age_years = static_cast<int>(rng.Between(18, 24));
  else if (age_group == "60+")
    p.age_years = static_cast<int>(rng.Between(60, 72));
  else
    p.age_years = static_cast<int>(rng.Chance(0.6) ? rng.Between(25, 39) : rng.Between(40, 59));
  p.days_since_birthday = static_cast<int>(rng.Between(1, 360));

  const bool woman = p.sex == "female" || (p.sex == "not_stated" && rng.Chance(0.5));
  p.full_name = rng.OneOf(GivenNames(nat.group, woman)) + " Exemple-" + Padded(index + 1, 4);
  if (rng.Chance(0.85)) p.phone = "+212 000 " + Padded((index + 1) % 1000000, 6);
  if (rng.Chance(0.7)) {
    p.address =
        std::to_string(rng.Between(1, 120)) + ", " + rng.OneOf(kStreets) + ", quartier Exemple";
  }

  switch (nat.group) {
    case Group::kArabic:
      p.languages = {"ar"};
      break;
    case Group::kFrancophone:
      p.languages = {"fr"};
      break;
    case Group::kAnglophone:
      p.languages = {"en"};
      break;
    case Group::kHornOfAfrica:
      p.languages = {"ti"};
      break;
  }
  if (*nat.home_language) p.languages.push_back(nat.home_language);
  if (nat.group == Group::kArabic && rng.Chance(0.25)) p.languages.push_back("fr");
  if (rng.Chance(0.3)) p.languages.push_back("ary");  // darija, learnt in Morocco

  p.education_level = EducationWeights()[PickWeighted(rng, EducationWeights())].first;
  const Names& jobs = p.education_level == "university"  ? kOccupationsUniversity
                      : p.education_level == "secondary" ? kOccupationsSecondary
                                                         : kOccupationsBasic;
  p.prior_occupation = rng.OneOf(jobs);
  for (int i = 0, n = static_cast<int>(rng.Between(0, 3)); i < n; ++i) {
    const std::string& s = rng.OneOf(kSkills);
    if (std::find(p.skills.begin(), p.skills.end(), s) == p.skills.end()) p.skills.push_back(s);
  }

  p.disability = DrawDisability(rng, p.age_years >= 60);
  const bool families = nat.group == Group::kArabic;
  p.household_size =
      static_cast<uint32_t>(rng.Pick(families ? kHouseholdFamilies : kHouseholdSingles) + 1);

  // UNHCR specific-needs categories (simplified); ~70% have none.
  if (p.household_size > 1 && rng.Chance(woman ? 0.16 : 0.04))
    p.specific_needs.push_back("single_parent");
  if (woman && rng.Chance(0.08)) p.specific_needs.push_back("woman_at_risk");
  if (rng.Chance(0.07)) p.specific_needs.push_back("serious_medical_condition");
  if (p.age_years >= 60 && rng.Chance(0.4)) p.specific_needs.push_back("older_person_at_risk");
  if (rng.Chance(0.03)) p.specific_needs.push_back("legal_protection_needs");
  if (Severe(p.disability)) p.specific_needs.push_back("disability");
  return p;
}

std::string DateOfBirth(const Person& person, workflows::Day registered_on) {
  return workflows::FormatDate(workflows::AddMonths(registered_on, -12 * person.age_years) -
                               person.days_since_birthday);
}

workflows::RegisterParticipant Population::ToRegistration(const Person& p,
                                                          workflows::Day registered_on) const {
  workflows::RegisterParticipant m;
  m.set_unhcr_id(p.unhcr_id);
  m.set_full_name(p.full_name);
  m.set_sex(p.sex);
  m.set_date_of_birth(DateOfBirth(p, registered_on));
  m.set_nationality(p.nationality);
  m.set_city(cities_[p.city]);
  m.set_phone(p.phone);
  m.set_address(p.address);
  for (const auto& l : p.languages) m.add_languages(l);
  m.set_education_level(p.education_level);
  m.set_prior_occupation(p.prior_occupation);
  for (const auto& s : p.skills) m.add_skills(s);
  for (const auto& s : p.specific_needs) m.add_specific_needs(s);
  *m.mutable_disability() = p.disability;
  m.set_household_size(p.household_size);
  m.set_registered_on(workflows::FormatDate(registered_on));
  return m;
}

}  // namespace piseruma::demo
