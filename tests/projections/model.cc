#include "tests/projections/model.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "projections/dashboard.h"
#include "tests/support/log_helpers.h"
#include "workflows/case_state.h"
#include "workflows/command_service.h"
#include "workflows/dates.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::testing {
namespace {

using namespace workflows;  // command messages
using projections::CaseDeadline;
using projections::CaseRow;
using projections::CooperativeRecord;

std::string Or(const std::string& v, const char* fallback) { return v.empty() ? fallback : v; }

std::string Month(int64_t recorded_at_us) {
  return FormatDate(DayInMorocco(recorded_at_us)).substr(0, 7);
}

// sex, age_group, nationality, disability, specific_needs, city — as the dashboard files them.
std::vector<std::pair<std::string, std::string>> Dims(const CaseFacts& f) {
  return {{"sex", Or(f.sex(), "not_stated")},
          {"age_group", Or(f.age_group(), "unknown")},
          {"nationality", Or(f.nationality(), "unknown")},
          {"disability", f.has_disability() ? "yes" : "no"},
          {"specific_needs", f.specific_needs_size() > 0 ? "yes" : "no"},
          {"city", Or(f.city(), "unknown")}};
}

template <typename T>
const T* As(const DecodedEvent& d) {
  return d.data->GetDescriptor() == T::descriptor() ? static_cast<const T*>(d.data.get()) : nullptr;
}

std::string Days4(int64_t d) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(d));
  return buf;
}

CaseRow ExpectedRow(const std::string& id, const StreamState& s) {
  const CaseFacts& f = s.case_facts();
  CaseRow r;
  r.set_case_id(id);
  r.set_participant_code(f.participant_code());
  r.set_city(f.city());
  r.set_caseworker_id(f.caseworker_id());
  for (const auto& [machine, instance] : s.machines()) {
    if (machine == "case") {
      r.set_state(instance.state());
    } else {
      (*r.mutable_pathways())[machine] = instance.state();
    }
  }
  for (const auto& d : s.deadlines()) {
    CaseDeadline* out = r.add_deadlines();
    out->set_name(d.name());
    out->set_machine(d.machine());
    out->set_due_on(d.due_on());
    out->set_overdue(d.overdue());
  }
  r.set_last_activity_us(s.last_recorded_at_us());
  r.set_registered_on(f.registered_on());
  r.set_cooperative_id(f.cooperative_id());
  r.set_proposed_outcome(f.proposed_outcome());
  r.set_outcome(f.outcome());
  r.set_transfer_to_caseworker_id(f.pending_transfer().to_caseworker_id());
  r.set_transfer_to_city(f.pending_transfer().to_city());
  r.set_personal_data_erased(f.personal_data_erased());
  if (!f.personal_data_erased()) r.set_unhcr_id(f.unhcr_id());
  r.set_version(s.version());
  return r;
}

}  // namespace

Model FoldModel(const engine::EventLog& log, uint64_t up_to) {
  Model m;
  auto tally = [&](const std::string& table, const std::string& row, const std::string& col,
                   int64_t n) {
    m.tallies[{table, row, col}] += n;
  };
  std::map<std::string, StreamState> states;
  std::map<std::string, Day> anapec_sent;
  std::map<std::string, std::string> closed_month;
  std::map<std::string, CooperativeRecord>
      coops;  // the scanned parts: milestones, sessions, financing

  for (uint64_t from = 1;;) {
    auto page = log.ReadAll({.from_position = from, .limit = 1000});
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok() || page->events.empty()) break;
    for (const auto& ev : page->events) {
      const engine::Envelope& env = ev.envelope;
      if (up_to != 0 && env.position() > up_to) break;
      const std::string& id = env.stream_id();
      const bool is_case = id.rfind("case-", 0) == 0, is_coop = id.rfind("coop-", 0) == 0;
      if (!is_case && !is_coop) continue;
      StreamState& s = states[id];
      EXPECT_OK(Evolve(&s, env));
      auto decoded = DecodeEvent(ev);
      EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
      if (!decoded.ok()) continue;
      const DecodedEvent& d = *decoded;
      const std::string month = Month(env.recorded_at_us());
      const Day day = DayInMorocco(env.recorded_at_us());
      auto moved = [&](const MachineChange& c) {
        tally("entered." + c.machine(), c.to_state(), month, 1);
        if (is_coop && c.machine() == "cooperative") {
          auto* milestone = coops[id].add_milestones();
          milestone->set_state(c.to_state());
          milestone->set_event_type(env.event_type());
          milestone->set_on(FormatDate(day));
        }
      };
      for (const auto& o : d.header.opened()) moved(o);
      if (d.header.has_transition() &&
          d.header.transition().from_state() != d.header.transition().to_state()) {
        moved(d.header.transition());
      }
      if (const auto* p = As<RecordPlacement>(d)) {
        const std::string row = p->tahfiz().eligible() ? "tahfiz_eligible" : "not_tahfiz_eligible";
        tally("placements.month", row, month, 1);
        for (const auto& [dim, value] : Dims(s.case_facts()))
          tally("placements." + dim, row, value, 1);
      } else if (const auto* r = As<SendAnapecReferral>(d)) {
        anapec_sent[id] = ParseDate(r->sent_on()).value_or(day);
      } else if (As<ConfirmAnapecRegistration>(d) || As<RecordAnapecRefusal>(d)) {
        const auto* c = As<ConfirmAnapecRegistration>(d);
        const Day answered =
            ParseDate(c ? c->confirmed_on() : As<RecordAnapecRefusal>(d)->refused_on())
                .value_or(day);
        if (anapec_sent.count(id)) {
          tally("anapec.turnaround", month, Days4(std::max<Day>(0, answered - anapec_sent[id])), 1);
          anapec_sent.erase(id);
        }
        tally("anapec.answers", c ? "confirmed" : "refused", month, 1);
      } else if (const auto* f = As<RecordFinancing>(d); f && f->decision() == "granted") {
        tally("financing.count", "microproject." + f->kind(), month, 1);
        tally("financing.mad_centimes", "microproject." + f->kind(), month,
              std::llround(f->amount_mad() * 100));
      } else if (const auto* cf = As<RecordCooperativeFinancing>(d);
                 cf && cf->decision() == "granted") {
        tally("financing.count", "cooperative." + cf->kind(), month, 1);
        tally("financing.mad_centimes", "cooperative." + cf->kind(), month,
              std::llround(cf->amount_mad() * 100));
        coops[id].set_financing_granted_mad(coops[id].financing_granted_mad() + cf->amount_mad());
      } else if (const auto* t = As<RecordTrainingDropout>(d)) {
        tally("training_dropouts.month", Or(t->reason(), "unknown"), month, 1);
      } else if (As<ApproveClosure>(d)) {
        closed_month[id] = month;
      } else if (As<RecordOdcoAccompaniment>(d)) {
        coops[id].set_accompaniment_sessions(coops[id].accompaniment_sessions() + 1);
      }
    }
    from = page->next_position;
    if (from > page->head_position || (up_to != 0 && from > up_to)) break;
  }

  for (const auto& [id, s] : states) {
    if (id.rfind("coop-", 0) == 0) {
      const auto it = s.machines().find("cooperative");
      const std::string state = it == s.machines().end() ? "" : it->second.state();
      const CooperativeFacts& c = s.cooperative();
      m.cooperative_states[id] = state;
      tally("cooperatives.now", state, Or(c.city(), "unknown"), 1);
      CooperativeRecord r = coops[id];
      r.set_cooperative_id(id);
      r.set_name(c.name());
      r.set_city(c.city());
      r.set_activity(c.activity());
      r.set_state(state);
      r.set_founded_on(c.founded_on());
      for (const auto& member : c.member_case_ids()) {
        if (std::find(r.member_case_ids().begin(), r.member_case_ids().end(), member) !=
            r.member_case_ids().end())
          continue;
        r.add_member_case_ids(member);
        r.add_member_codes(states.count(member) ? states.at(member).case_facts().participant_code()
                                                : "");
      }
      r.set_local_register_number(c.local_register_number());
      r.set_odco_register_number(c.odco_register_number());
      r.set_capital_mad(c.capital_mad());
      r.set_last_activity_us(s.last_recorded_at_us());
      m.cooperatives[id] = r;
      continue;
    }
    m.cases[id] = ExpectedRow(id, s);
    const CaseFacts& f = s.case_facts();
    const auto dims = Dims(f);
    for (const auto& [machine, instance] : s.machines()) {
      for (const auto& [dim, value] : dims)
        tally("funnel." + machine + "." + dim, instance.state(), value, 1);
    }
    auto root = s.machines().find("case");
    if (root != s.machines().end() && root->second.state() == "closed" && !f.outcome().empty()) {
      tally("outcomes.month", f.outcome(), closed_month[id], 1);
      for (const auto& [dim, value] : dims) tally("outcomes." + dim, f.outcome(), value, 1);
    }
    const SriAssessment *baseline = nullptr, *endline = nullptr;
    for (const auto& a : f.assessments()) {
      if (a.kind() == "baseline") baseline = &a;
      if (a.kind() == "endline") endline = &a;
    }
    if (baseline && endline) {
      for (const auto& domain : projections::SriDomains()) {
        const uint32_t b = baseline->scores().at(domain), e = endline->scores().at(domain);
        if (b == 0 || e == 0) continue;
        tally("sri", domain, "n", 1);
        tally("sri", domain, "baseline_sum", b);
        tally("sri", domain, "endline_sum", e);
      }
    }
  }
  std::erase_if(m.tallies, [](const auto& kv) { return kv.second == 0; });
  return m;
}

Model Observe(const projections::ProjectionRuntime& runtime) {
  Model m;
  runtime.Read([&](const projections::CaseSummaryProjection& summary,
                   const projections::DashboardProjection& dashboard,
                   const projections::CooperativeRegistry& registry) {
    summary.ForEachCase([&](const CaseRow& r) { m.cases[r.case_id()] = r; });
    summary.ForEachCooperative([&](const std::string& id, const projections::CooperativeStatus& s) {
      m.cooperative_states[id] = s.state();
    });
    m.tallies = dashboard.tallies().Snapshot();
    for (const auto& c : registry.List({})) m.cooperatives[c.cooperative_id()] = c;
  });
  return m;
}

std::string Difference(const Model& want, const Model& got) {
  std::ostringstream out;
  for (const auto& [id, row] : want.cases) {
    auto it = got.cases.find(id);
    if (it == got.cases.end()) return "case " + id + " missing from case_summary";
    std::string diff;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    if (!d.Compare(row, it->second)) return "case " + id + " differs (want → got):\n" + diff;
  }
  if (want.cases.size() != got.cases.size()) {
    return "case_summary has " + std::to_string(got.cases.size()) + " cases, want " +
           std::to_string(want.cases.size());
  }
  if (want.cooperative_states != got.cooperative_states)
    return "case_summary's cooperative states differ";
  for (const auto& [key, n] : want.tallies) {
    auto it = got.tallies.find(key);
    const int64_t have = it == got.tallies.end() ? 0 : it->second;
    if (have != n) {
      out << "dashboard " << std::get<0>(key) << " [" << std::get<1>(key) << "]["
          << std::get<2>(key) << "] = " << have << ", want " << n;
      return out.str();
    }
  }
  for (const auto& [key, n] : got.tallies) {
    if (!want.tallies.count(key)) {
      out << "dashboard " << std::get<0>(key) << " [" << std::get<1>(key) << "]["
          << std::get<2>(key) << "] = " << n << ", want 0";
      return out.str();
    }
  }
  for (const auto& [id, record] : want.cooperatives) {
    auto it = got.cooperatives.find(id);
    if (it == got.cooperatives.end()) return "cooperative " + id + " missing from the registry";
    std::string diff;
    google::protobuf::util::MessageDifferencer d;
    d.ReportDifferencesToString(&diff);
    if (!d.Compare(record, it->second))
      return "cooperative " + id + " differs (want → got):\n" + diff;
  }
  if (want.cooperatives.size() != got.cooperatives.size())
    return "the registry has a different number of cooperatives";
  return "";
}

}  // namespace piseruma::testing
