#include "tests/projections/random_programme.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/workflows/command_fixtures.h"
#include "workflows/guidance.h"

namespace piseruma::testing {
namespace {

namespace json = boost::json;

}  // namespace

RandomProgramme::RandomProgramme(ProjectionHarness* h, uint32_t seed)
    : h_(h),
      rng_(seed),
      scheduler_(std::make_unique<workflows::DeadlineScheduler>(&h->wf.service())) {}

RandomProgramme::~RandomProgramme() = default;

size_t RandomProgramme::Run(int steps) {
  for (int i = 0; i < steps; ++i) {
    const unsigned r = rng_() % 100;
    if (cases_.empty() || r < 8) {
      Register();
    } else if (r < 11) {
      h_->wf.AdvanceDays(static_cast<int>(rng_() % 45));
      if (r == 8) EXPECT_OK(scheduler_->RunOnce());
    } else if (r < 16) {
      if (!TryFoundCooperative()) Step();
    } else if (r == 16 && rng_() % 3 == 0) {
      const std::string id = Pick(cases_);
      if (h_->wf.Run(id, "ErasePersonalData", R"({"request_ref":"CNDP-)" + id + "\"}", Admin())
              .ok())
        ++accepted_;
    } else {
      Step();
    }
  }
  return accepted_;
}

void RandomProgramme::Register() {
  const std::string id = h_->wf.NextCaseId();
  json::object o = json::parse(ValidJson("RegisterParticipant", "", h_->wf.Today())).as_object();
  static const std::vector<std::string> kSexes = {"female", "male", "male", "not_stated"};
  static const std::vector<std::string> kBirth = {"2004-03-01", "1990-04-02", "1985-11-30",
                                                  "1961-01-15"};
  static const std::vector<std::string> kNationalities = {
      "Syria", "Syria", "Central African Republic", "Yemen", "Sudan", "Guinea"};
  o["sex"] = Pick(kSexes);
  o["date_of_birth"] = Pick(kBirth);
  o["nationality"] = Pick(kNationalities);
  o["unhcr_id"] = "MOR-" + id;
  if (rng_() % 5 == 0) o["specific_needs"] = json::array{"single_parent"};
  if (rng_() % 8 == 0) o["disability"] = json::object{{"walking", "cannot_do"}};
  const bool kenitra = rng_() % 5 == 0;  // the supervisor's other city
  if (kenitra) o["city"] = "Kénitra";
  auto r = h_->wf.Run(id, "RegisterParticipant", json::serialize(o),
                      kenitra ? Supervisor() : Caseworker());
  EXPECT_OK(r);
  if (!r.ok()) return;
  ++accepted_;
  cases_.push_back(id);
  for (const auto& [purpose, recipient] : AllConsents()) {
    if (rng_() % 6 == 0) continue;  // not everyone consents to everything
    const std::string body = R"({"purpose":")" + purpose + R"(","recipient":")" + recipient +
                             R"(","given_on":")" + h_->wf.Today() + "\"}";
    if (h_->wf.Run(id, "RecordConsent", body, kenitra ? Supervisor() : Caseworker()).ok())
      ++accepted_;
  }
}

std::string RandomProgramme::Body(const std::string& command, const std::string& when) {
  json::object o = json::parse(ValidJson(command, when, h_->wf.Today())).as_object();
  if (command == "OrientToPathway") {
    o["pathway"] = Pick(std::vector<std::string>{"employment", "microproject", "training",
                                                 "cooperative_membership"});
  } else if (command == "RecordAssessment" &&
             when.empty()) {  // a follow-up (the baseline has its own `when`)
    o["kind"] = Pick(std::vector<std::string>{"month_6", "month_12", "endline", "endline"});
    for (const char* d : {"housing", "food", "employment", "debt", "savings", "social_capital"})
      o[d] = rng_() % 6;
  } else if (command == "ProposeClosure") {
    o["outcome"] = Pick(std::vector<std::string>{"self_reliant", "self_reliant",
                                                 "partly_self_reliant", "not_yet", "dropped_out",
                                                 "resettled_or_moved", "lost_contact"});
  } else if (command == "RecordTrainingDropout") {
    o["reason"] = Pick(std::vector<std::string>{"employment_found", "health", "family", "moved",
                                                "lost_interest", "other"});
  } else if (command == "RecordFinancing" || command == "RecordCooperativeFinancing") {
    o["kind"] = Pick(std::vector<std::string>{"grant", "microcredit"});
    o["amount_mad"] = 1000 + static_cast<double>(rng_() % 30000) + (rng_() % 2 ? 0.5 : 0);
  } else if (command == "RecordPlacement") {
    o["contract_type"] = Pick(std::vector<std::string>{"CDI", "CDI", "CDD", "stage"});
    o["employer_created_on"] =
        Pick(std::vector<std::string>{"2021-03-01", "2012-06-01", "2025-01-10"});
  } else if (command == "RequestTransfer") {
    const bool kenitra = rng_() % 2;
    o["to_caseworker_id"] = kenitra ? "u-sup-1" : "u-cw-2";
    o["to_city"] = kenitra ? "Kénitra" : "Rabat";
  } else if (command == "RecordEmploymentFollowUp" && when.empty()) {
    o["milestone"] = Pick(std::vector<std::string>{"month_3", "month_6"});
  } else if (command == "RecordBusinessFollowUp" && when.empty()) {
    o["milestone"] = Pick(std::vector<std::string>{"month_3", "month_6"});
  }
  return json::serialize(o);
}

void RandomProgramme::Step() {
  static const std::vector<workflows::UserContext> kUsers = {Caseworker(), Caseworker2(),
                                                             Supervisor()};
  std::vector<std::string> streams = cases_;
  streams.insert(streams.end(), coops_.begin(), coops_.end());
  const std::string stream = Pick(streams);
  const auto& user = Pick(kUsers);
  const workflows::StreamState state = h_->wf.State(stream);
  auto steps =
      workflows::NextSteps(h_->wf.registry(), state, stream, user, h_->wf.service().Today());
  std::erase_if(steps, [](const workflows::NextStep& s) { return !s.blocked_by.empty(); });
  // Mostly move cases along their pathways; sometimes the steps that do not (notes,
  // consents, conferences, transfers, closures).
  static const std::set<std::string> kSideSteps = {
      "RecordConsent",   "WithdrawConsent", "AddNote",        "RecordCaseConference",
      "RequestTransfer", "DeclineTransfer", "ProposeClosure", "RejectClosure"};
  if (rng_() % 10 < 7) {
    std::vector<workflows::NextStep> forward;
    for (auto& s : steps) {
      if (!kSideSteps.count(s.command)) forward.push_back(std::move(s));
    }
    if (!forward.empty()) steps = std::move(forward);
  }
  if (steps.empty()) return;
  const std::string command = Pick(steps).command;
  std::vector<std::string> whens{""};
  for (const auto& t :
       h_->wf.registry().Latest(h_->wf.registry().MachineOf(command))->transitions()) {
    if (t.command() == command && !t.when().empty()) whens.push_back(t.when());
  }
  if (h_->wf.Run(stream, command, Body(command, Pick(whens)), user).ok()) ++accepted_;
}

bool RandomProgramme::TryFoundCooperative() {
  std::vector<std::string> ready;
  for (const auto& id : cases_) {
    const auto s = h_->wf.State(id);
    auto it = s.machines().find("cooperative_membership");
    const bool consented = std::any_of(
        s.case_facts().consents().begin(), s.case_facts().consents().end(), [](const auto& c) {
          return c.purpose() == "cooperative_support" && c.recipient() == "ODCO" && c.given();
        });
    if (it != s.machines().end() && it->second.state() == "open" &&
        s.case_facts().city() == "Rabat" && consented) {
      ready.push_back(id);
    }
  }
  if (ready.size() < 5) return false;
  std::shuffle(ready.begin(), ready.end(), rng_);
  ready.resize(5 + rng_() % std::min<size_t>(3, ready.size() - 4));
  coops_.push_back(h_->FoundCooperative(ready));
  ++accepted_;
  return true;
}

}  // namespace piseruma::testing
