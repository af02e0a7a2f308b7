// The programme dashboard as the steering committee (or a supervisor) reads it: the
// precomputed counts of the dashboard projection laid out as tables — rows and columns in
// a stable order, totals — with small-cell suppression applied for the committee.
// Rendering reads counts only (no event, no case is scanned), so a query costs
// microseconds to a few milliseconds whatever the size of the log.
//
// Table ids (each a TableView; monthly tables share the `months` axis):
//   funnel.<pathway>.<dim>   participants now at each stage (pathway "case" is the case's
//                            own workflow), by sex, age_group, nationality, disability,
//                            specific_needs, city
//   entered.<workflow>       moves into each stage, by month (also "cooperative")
//   outcomes.month           closed cases by outcome, by month of closure; outcomes.<dim>
//   placements.month         placements, TAHFIZ-eligible or not, by month; placements.<dim>
//   anapec.answers           ANAPEC answers (confirmed, refused) by month
//   financing.count          granted financings by type (microproject|cooperative . grant|
//   financing.mad            microcredit) by month, and their amounts in MAD
//   training_dropouts.month  training drop-outs by reason, by month
//   cooperatives.now         cooperatives in each state, by city
//
// Suppression (suppression.h) hides counts of people from 1 to threshold-1 in every table,
// with complements; tables that split one count several ways (a funnel by sex, by city, …)
// hide the same totals. A hidden count's value is 0 in the view, so nothing downstream can
// leak it. The amounts in MAD are hidden where their count is. Cooperative counts
// (organisations, public in the ODCO register) are not suppressed.
//
// Thread-safety: pure function of the projection; call it under the runtime's shared lock.
//
//   DashboardQuery committee{.suppress = true, .threshold = 5};
//   DashboardView v = RenderDashboard(dashboard, registry, committee, position);
//   const TableView* by_sex = v.Find("funnel.employment.sex");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "projections/dashboard.h"
#include "workflows/registry.h"

namespace piseruma::projections {

struct DashboardQuery {
  bool suppress = true;   // the committee's view; false for supervisors and admins
  int64_t threshold = 5;  // counts 1..threshold-1 are hidden (programme: small_cell_threshold)
};

// A count as shown: when `suppressed`, `value` is 0 and the count must be shown as "<N".
struct CountCell {
  int64_t value = 0;
  bool suppressed = false;
  bool operator==(const CountCell&) const = default;
};

struct TableView {
  std::string id;
  std::string unit;  // participants | moves | cases | placements | answers | financings | MAD |
                     // dropouts | cooperatives
  std::vector<std::string> rows;
  std::vector<std::string> cols;
  std::vector<std::vector<CountCell>> cells;  // [row][col]
  std::vector<CountCell> row_totals;
  std::vector<CountCell> col_totals;
  CountCell total;
};

// Days from an ANAPEC referral to its answer (nearest-rank percentiles).
struct Turnaround {
  uint64_t answers = 0;
  std::optional<int64_t> median_days;  // empty when no answer, or suppressed
  std::optional<int64_t> p90_days;
  bool suppressed = false;  // fewer answers than the threshold
};

// SRI, baseline → endline, over the cases assessed at both with the domain applicable.
struct SriDomainView {
  std::string domain;
  uint64_t cases = 0;
  std::optional<double> baseline_mean;  // empty when no case, or suppressed
  std::optional<double> endline_mean;
  std::optional<double> change;
  bool suppressed = false;
};

struct TargetProgress {
  std::string start;  // programme_start
  std::string end;    // start + programme_months (exclusive)
  uint32_t months = 0;
  uint32_t target = 0;     // self_reliance_target
  CountCell self_reliant;  // cases closed self-reliant within the window
  std::vector<std::pair<std::string, CountCell>>
      cumulative;  // by month in the window, up to the last with data
};

struct CooperativeCounts {
  int64_t founded = 0;     // ever founded
  int64_t registered = 0;  // ever registered
  int64_t operating = 0;   // now operating (or established)
};

struct DashboardView {
  uint64_t position = 0;  // every event up to here is counted
  bool suppressed = false;
  int64_t threshold = 0;
  std::vector<std::string> months;  // the axis of every monthly table, contiguous
  std::vector<TableView> tables;
  TargetProgress target;
  std::vector<SriDomainView> sri;
  Turnaround anapec_turnaround;
  std::vector<std::pair<std::string, Turnaround>> anapec_turnaround_by_month;
  CooperativeCounts cooperatives;

  // The table with this id, or null.
  const TableView* Find(const std::string& id) const;
};

DashboardView RenderDashboard(const DashboardProjection& dashboard,
                              const workflows::WorkflowRegistry& registry,
                              const DashboardQuery& query, uint64_t position);

// The nearest-rank percentile (0 < p <= 100) of a histogram value → count, sorted by value.
std::optional<int64_t> Percentile(const std::vector<std::pair<int64_t, int64_t>>& histogram,
                                  double p);

}  // namespace piseruma::projections
