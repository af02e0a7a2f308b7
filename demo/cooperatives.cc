// Cooperatives (ODCO, law 112-12). Participants oriented to the cooperative pathway wait in
// their city's pool; each Monday a city whose pool reaches the next cooperative's size
// (5 to 8 founders, or at least the legal minimum after four months of waiting) founds one.
// The cooperative then goes through ODCO accompaniment, name approval, statutes, the
// constitutive assembly, capital, registration, financing and operations, followed up at
// 3, 6 and 12 months. About 30% are abandoned before registration. When a cooperative's
// story ends, its members' cases are closed or re-oriented.
#include <algorithm>

#include "demo/simulation.h"
#include "workflows/handlers.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {
namespace {

namespace wf = workflows;

constexpr int kLongWait = 120;  // days before a smaller group founds anyway
constexpr double kAbandonedBeforeRegistration = 0.30;
constexpr double kAbandonedAfterRegistration = 0.03;
constexpr double kSeeksFinancing = 0.75;
constexpr double kFinancingGranted = 0.75;

struct Activity {
  const char* activity;
  const char* name;
};
const std::vector<Activity> kActivities = {
    {"couture et confection", "Couture"},   {"traiteur et pâtisserie", "Saveurs"},
    {"artisanat et broderie", "Artisanat"}, {"nettoyage et entretien", "Services"},
    {"agriculture urbaine", "Jardins"},     {"coiffure et esthétique", "Beauté"},
};
const std::vector<std::string> kTopics = {
    "principes coopératifs et loi 112-12", "rédaction des statuts",
    "gouvernance et assemblée générale", "gestion financière", "plan d'affaires de la coopérative"};
const std::vector<std::string> kBanks = {"Banque Populaire", "Al Barid Bank",
                                         "Crédit Agricole du Maroc"};
const std::vector<std::string> kAbandonReasons = {
    "Désaccord entre les membres sur la répartition du travail",
    "Départ de plusieurs membres fondateurs", "Capital minimum non réuni"};
const char* const kMilestones[] = {"month_3", "month_6", "month_12"};

std::string Numbered(const char* prefix, uint32_t n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%04u", prefix, n);
  return buf;
}

}  // namespace

void Simulation::JoinPool(Participant& p) {
  p.member = Member::kOpen;
  p.in_pool = true;
  p.waiting_since = today_;
  pools_[p.city].push_back(Index(p));
  Later(p, 280, 320, TaskKind::kLeavePool);
}

void Simulation::LeavePool(Participant& p) {
  auto& pool = pools_[p.city];
  pool.erase(std::remove(pool.begin(), pool.end(), Index(p)), pool.end());
  p.in_pool = false;
}

void Simulation::GiveUpWaiting(Participant& p) {
  // Nobody to found a cooperative with: another pathway, or the case closes.
  if (!p.in_pool || p.stage != CaseStage::kActive || p.closure_proposed) return;
  LeavePool(p);
  if (p.rng.Chance(0.5) && PathwayAvailable(p, Pathway::kEmployment)) {
    OrientTo(p, Pathway::kEmployment, false);
  } else {
    CloseLater(p, 0, 30, {{Outcome::kNotYet, 70}, {Outcome::kDroppedOut, 30}});
  }
}

void Simulation::FormCooperatives() {
  const auto min_members = static_cast<size_t>(registry_->params().cooperative_min_members());
  for (size_t city = 0; city < pools_.size(); ++city) {
    auto& pool = pools_[city];
    while (true) {
      if (pool_target_[city] == 0)
        pool_target_[city] = static_cast<uint8_t>(city_rng_.Between(5, 8));
      const size_t target = std::max<size_t>(pool_target_[city], min_members);
      const bool waited_long =
          !pool.empty() && today_ - participants_[pool.front()].waiting_since > kLongWait;
      if (pool.size() < target && !(waited_long && pool.size() >= min_members)) break;
      const size_t n = std::min(target, pool.size());
      std::vector<uint32_t> members(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
      pool.erase(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(n));
      for (uint32_t m : members) participants_[m].in_pool = false;
      pool_target_[city] = 0;
      Found(static_cast<uint8_t>(city), members);
    }
  }
}

void Simulation::Found(uint8_t city, const std::vector<uint32_t>& members) {
  const auto index = static_cast<uint32_t>(coops_.size());
  Coop c;
  c.id = "coop-" + wf::CityCode(CityName(city)) + "-" + Numbered("", index + 1);
  c.rng = DemoRng(MixSeed(options_.seed, "coop-" + std::to_string(index)));
  c.city = city;
  c.members = members;
  c.caseworker = participants_[members.front()].caseworker;
  const Activity& activity = c.rng.OneOf(kActivities);
  auto m = std::make_shared<wf::FoundCooperative>();
  c.name = "Coopérative " + std::string(activity.name) + " Exemple " + std::to_string(index + 1);
  m->set_proposed_name(c.name);
  m->set_city(CityName(city));
  m->set_activity(activity.activity);
  for (uint32_t member : members) m->add_member_case_ids(participants_[member].case_id);
  m->set_founded_on(Today());
  if (!Execute(c.id, "FoundCooperative", m, c.caseworker)) {
    for (uint32_t member : members) JoinPool(participants_[member]);  // they wait for the next one
    return;
  }
  for (uint32_t member : members) {
    participants_[member].member = Member::kMember;
    participants_[member].coop = index;
  }
  static const CoopStage kBeforeRegistration[] = {CoopStage::kForming, CoopStage::kNameApproved,
                                                  CoopStage::kStatutesSigned,
                                                  CoopStage::kConstituted, CoopStage::kCapitalPaid};
  if (c.rng.Chance(kAbandonedBeforeRegistration)) {
    c.abandon_at = kBeforeRegistration[c.rng.Below(5)];
  } else if (c.rng.Chance(kAbandonedAfterRegistration)) {
    c.abandon_at = CoopStage::kRegistered;
  }
  coops_.push_back(std::move(c));
  ++report_->cooperatives;
  LaterCoop(coops_.back(), 10, 25, kCoopAdvance);
}

void Simulation::CooperativeStep(Coop& c, Step step) {
  switch (step) {
    case kCoopAdvance:
      AdvanceCooperative(c);
      break;
    case kCoopFinance:
      FinanceCooperative(c);
      break;
    case kCoopFollowUp3:
      CooperativeFollowUp(c, 0);
      break;
    case kCoopFollowUp6:
      CooperativeFollowUp(c, 1);
      break;
    case kCoopFollowUp12:
      CooperativeFollowUp(c, 2);
      break;
    case kCoopLateReview:  // the 12-month visit was missed: the members' cases close anyway
      if (c.stage == CoopStage::kOperating) CooperativeEnded(c);
      break;
    default:
      break;
  }
}

void Simulation::AdvanceCooperative(Coop& c) {
  const std::string on = Today();
  if (c.abandon_at && *c.abandon_at == c.stage) {
    auto m = std::make_shared<wf::AbandonCooperative>();
    m->set_reason(c.rng.OneOf(kAbandonReasons));
    m->set_abandoned_on(on);
    if (!Execute(c.id, "AbandonCooperative", m, Supervisor(c.city, c.rng))) return;
    c.stage = CoopStage::kAbandoned;
    CooperativeEnded(c);
    return;
  }
  if (c.stage <= CoopStage::kCapitalPaid && c.rng.Chance(0.6)) {
    auto m = std::make_shared<wf::RecordOdcoAccompaniment>();
    m->set_session_on(on);
    m->set_topic(c.rng.OneOf(kTopics));
    m->set_hours(static_cast<double>(c.rng.Between(2, 4)));
    Execute(c.id, "RecordOdcoAccompaniment", m, c.caseworker);
  }
  const uint32_t n = Index(c) + 1;
  const auto members = static_cast<uint32_t>(c.members.size());
  switch (c.stage) {
    case CoopStage::kForming: {
      auto m = std::make_shared<wf::RecordNameApproval>();
      // ODCO sometimes asks for a more distinctive name.
      m->set_approved_name(c.rng.Chance(0.8) ? c.name : c.name + " de " + CityName(c.city));
      m->set_certificate_number(Numbered("CN-DEMO-", n));
      m->set_approved_on(on);
      if (!Execute(c.id, "RecordNameApproval", m, c.caseworker)) return;
      c.stage = CoopStage::kNameApproved;
      LaterCoop(c, 10, 30, kCoopAdvance);
      break;
    }
    case CoopStage::kNameApproved: {
      auto m = std::make_shared<wf::SignStatutes>();
      m->set_signed_on(on);
      if (!Execute(c.id, "SignStatutes", m, c.caseworker)) return;
      c.stage = CoopStage::kStatutesSigned;
      LaterCoop(c, 7, 25, kCoopAdvance);
      break;
    }
    case CoopStage::kStatutesSigned: {
      auto m = std::make_shared<wf::HoldConstitutiveAssembly>();
      m->set_held_on(on);
      m->set_members_present(members > 5 && c.rng.Chance(0.3) ? members - 1 : members);
      if (!Execute(c.id, "HoldConstitutiveAssembly", m, c.caseworker)) return;
      c.stage = CoopStage::kConstituted;
      LaterCoop(c, 10, 40, kCoopAdvance);
      break;
    }
    case CoopStage::kConstituted: {
      static const uint32_t kShares[] = {100, 200, 500};
      const uint32_t share = kShares[c.rng.Below(3)];
      auto m = std::make_shared<wf::RecordCapitalPaid>();
      m->set_bank(c.rng.OneOf(kBanks));
      m->set_paid_on(on);
      m->set_share_value_mad(share);
      m->set_capital_mad(
          static_cast<double>(members * share * static_cast<uint32_t>(c.rng.Between(2, 10))));
      if (!Execute(c.id, "RecordCapitalPaid", m, c.caseworker)) return;
      c.stage = CoopStage::kCapitalPaid;
      LaterCoop(c, 30, 90, kCoopAdvance);
      break;
    }
    case CoopStage::kCapitalPaid: {
      auto m = std::make_shared<wf::RegisterCooperative>();
      m->set_local_register_number(
          Numbered(("RL-" + wf::CityCode(CityName(c.city)) + "-DEMO-").c_str(), n));
      m->set_odco_register_number(Numbered("ODCO-DEMO-", n));
      m->set_registered_on(on);
      if (!Execute(c.id, "RegisterCooperative", m, c.caseworker)) return;
      c.stage = CoopStage::kRegistered;
      if (c.abandon_at || !c.rng.Chance(kSeeksFinancing)) {
        LaterCoop(c, 10, 40, kCoopAdvance);
      } else {
        LaterCoop(c, 20, 60, kCoopFinance);
      }
      break;
    }
    case CoopStage::kRegistered:
    case CoopStage::kFinanced:
      StartOperations(c);
      break;
    default:
      break;
  }
}

void Simulation::FinanceCooperative(Coop& c) {
  if (c.stage != CoopStage::kRegistered) return;
  const bool granted = c.rng.Chance(kFinancingGranted);
  const bool grant = c.rng.Chance(0.7);
  auto m = std::make_shared<wf::RecordCooperativeFinancing>();
  m->set_kind(grant ? "grant" : "microcredit");
  m->set_institution(grant ? "INDH — appui aux coopératives"
                           : "Institution de microfinance partenaire");
  m->set_amount_mad(static_cast<double>(c.rng.Between(20, 150) * 1000));
  m->set_decision(granted ? "granted" : "refused");
  m->set_decided_on(Today());
  if (!Execute(c.id, "RecordCooperativeFinancing", m, c.caseworker)) return;
  ++c.financing_tries;
  if (granted) {
    c.stage = CoopStage::kFinanced;
    LaterCoop(c, 10, 40, kCoopAdvance);
  } else if (c.financing_tries < 2 && c.rng.Chance(0.4)) {
    LaterCoop(c, 30, 60, kCoopFinance);
  } else {
    LaterCoop(c, 10, 40, kCoopAdvance);  // start with the members' own capital
  }
}

void Simulation::StartOperations(Coop& c) {
  auto m = std::make_shared<wf::StartCooperativeOperations>();
  m->set_started_on(Today());
  if (!Execute(c.id, "StartCooperativeOperations", m, c.caseworker)) return;
  c.stage = CoopStage::kOperating;
  ++c.gen;
  c.ends = EndsAfter(c.rng, today_, 5, 7, 8);  // % ceased by 3, 6, 12 months
  PlanFollowUps(c.rng, Index(c), TaskKind::kCoop, kCoopFollowUp3, c.gen, 0);
}

void Simulation::CooperativeFollowUp(Coop& c, int milestone) {
  if (c.stage != CoopStage::kOperating) return;
  const bool operating = today_ < c.ends;
  auto m = std::make_shared<wf::RecordCooperativeFollowUp>();
  m->set_milestone(kMilestones[milestone]);
  m->set_visited_on(Today());
  m->set_still_operating(operating);
  if (operating) {
    const auto members = static_cast<int64_t>(c.members.size());
    m->set_members_active(
        static_cast<uint32_t>(std::max<int64_t>(1, members - c.rng.Between(0, 2))));
    m->set_monthly_revenue_mad(static_cast<double>(c.rng.Between(20, 150) * 100));
  }
  if (!Execute(c.id, "RecordCooperativeFollowUp", m, c.caseworker)) return;
  if (!operating) {
    c.stage = CoopStage::kCeased;
    CooperativeEnded(c);
  } else if (milestone == 2) {
    c.stage = CoopStage::kEstablished;
    CooperativeEnded(c);
  }
}

void Simulation::CooperativeEnded(Coop& c) {
  ++c.gen;  // nothing more is planned for it
  for (uint32_t index : c.members) {
    Participant& p = participants_[index];
    if (p.stage != CaseStage::kActive || p.closure_proposed || p.coop != Index(c)) continue;
    switch (c.stage) {
      case CoopStage::kEstablished:
        CloseLater(p, 7, 40, {{Outcome::kSelfReliant, 70}, {Outcome::kPartly, 30}});
        break;
      case CoopStage::kCeased:
        CloseLater(p, 14, 60, {{Outcome::kNotYet, 60}, {Outcome::kPartly, 40}});
        break;
      case CoopStage::kOperating:  // operating, but the 12-month visit was missed
        CloseLater(p, 0, 30, {{Outcome::kSelfReliant, 50}, {Outcome::kPartly, 50}});
        break;
      default:  // abandoned: another pathway, or the case closes
        if (p.rng.Chance(0.45) && PathwayAvailable(p, Pathway::kEmployment)) {
          Later(p, 14, 45, TaskKind::kOrient, static_cast<uint8_t>(Pathway::kEmployment));
        } else if (p.rng.Chance(0.3) && PathwayAvailable(p, Pathway::kMicroproject)) {
          Later(p, 14, 45, TaskKind::kOrient, static_cast<uint8_t>(Pathway::kMicroproject));
        } else {
          CloseLater(p, 30, 90, {{Outcome::kNotYet, 60}, {Outcome::kDroppedOut, 40}});
        }
        break;
    }
  }
}

}  // namespace piseruma::demo
