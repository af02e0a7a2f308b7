#include "projections/caseload.h"

#include <algorithm>
#include <map>

namespace piseruma::projections {

std::vector<CaseloadRow> Caseload(const CaseSummaryProjection& summary, const CaseloadQuery& q,
                                  workflows::Day today) {
  std::map<std::string, CaseloadRow> rows;
  const std::string today_iso = workflows::FormatDate(today),
                    week_end = workflows::FormatDate(today + 6);
  summary.ForEachCase([&](const CaseRow& r) {
    if (r.participant_code().empty() || r.state() == "closed") return;
    if (!q.cities.empty() &&
        std::find(q.cities.begin(), q.cities.end(), r.city()) == q.cities.end())
      return;
    if (!q.caseworker_id.empty() && r.caseworker_id() != q.caseworker_id) return;
    const std::string& key = q.group == CaseloadGroup::kCaseworker ? r.caseworker_id() : r.city();
    CaseloadRow& row = rows[key];
    row.key = key;
    ++row.active_cases;
    for (const auto& d : r.deadlines()) {
      if (IsOverdue(d, today_iso)) {
        ++row.overdue_deadlines;
      } else if (d.due_on() <= week_end) {
        ++row.due_this_week;
      }
    }
    auto employment = r.pathways().find("employment");
    if (employment != r.pathways().end() && employment->second == "referred") ++row.awaiting_anapec;
    if (!r.cooperative_id().empty()) {
      const std::string coop = summary.CooperativeState(r.cooperative_id());
      if (coop == "forming" || coop == "capital_paid") ++row.awaiting_odco;
    }
  });
  std::vector<CaseloadRow> out;
  out.reserve(rows.size());
  for (auto& [key, row] : rows) out.push_back(std::move(row));
  return out;
}

}  // namespace piseruma::projections
