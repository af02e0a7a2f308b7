// Caseloads, per caseworker or per city: active cases, overdue deadlines, deadlines due this
// week, and cases awaiting a partner's answer — ANAPEC (a referral sent, no registration
// or refusal yet) and ODCO (the case's cooperative awaits its name approval, in state
// "forming", or its registration, in state "capital_paid").
//
// A query over the case summary (case_summary.h): it reads the cases of the requested
// cities once, so it costs about a millisecond per 10,000 cases.
//
// Thread-safety: pure function of the projection; call it under the runtime's shared lock.
//
//   CaseloadQuery q{.group = CaseloadGroup::kCaseworker, .cities = {"Rabat"}};
//   for (const CaseloadRow& r : Caseload(summary, q, today)) show(r.key, r.overdue_deadlines);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "projections/case_summary.h"

namespace piseruma::projections {

enum class CaseloadGroup { kCaseworker, kCity };

struct CaseloadQuery {
  CaseloadGroup group = CaseloadGroup::kCaseworker;
  std::vector<std::string> cities;  // any of these; empty = every city
  std::string caseworker_id;        // only this caseworker's cases; "" = all
};

struct CaseloadRow {
  std::string key;            // the caseworker id or the city
  uint64_t active_cases = 0;  // registered and not closed
  uint64_t overdue_deadlines = 0;
  uint64_t due_this_week = 0;  // open, not overdue, due today or in the next 6 days
  uint64_t awaiting_anapec = 0;
  uint64_t awaiting_odco = 0;
};

// One row per caseworker (or city) with at least one active case, by key.
std::vector<CaseloadRow> Caseload(const CaseSummaryProjection& summary, const CaseloadQuery& query,
                                  workflows::Day today);

}  // namespace piseruma::projections
