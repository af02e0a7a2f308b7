#include "projections/dashboard_view.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "projections/suppression.h"
#include "workflows/dates.h"

namespace piseruma::projections {
namespace {

using Counts = std::map<std::string, std::map<std::string, int64_t>>;  // row → col → value

Counts Collect(const TallyBook& book, const std::string& table) {
  Counts out;
  const int64_t id = book.FindTable(table);
  if (id < 0) return out;
  book.ForEachCell(static_cast<TallyBook::TableId>(id),
                   [&](TallyBook::Label r, TallyBook::Label c, int64_t v) {
                     out[book.Name(r)][book.Name(c)] = v;
                   });
  return out;
}

// `known` in order, then every other label seen, sorted.
std::vector<std::string> Axis(const std::vector<std::string>& known,
                              const std::set<std::string>& seen) {
  std::vector<std::string> out = known;
  for (const auto& s : seen) {
    if (std::find(known.begin(), known.end(), s) == known.end()) out.push_back(s);
  }
  return out;
}

std::set<std::string> RowsOf(const Counts& c) {
  std::set<std::string> out;
  for (const auto& [row, cols] : c) out.insert(row);
  return out;
}

std::set<std::string> ColsOf(const Counts& c) {
  std::set<std::string> out;
  for (const auto& [row, cols] : c) {
    for (const auto& [col, v] : cols) out.insert(col);
  }
  return out;
}

std::string NextMonth(const std::string& month) {
  auto day = workflows::ParseDate(month + "-01");
  return day ? MonthOf(workflows::AddMonths(*day, 1)) : "9999-12";
}

// The options of a command's field in a workflow's latest definition ("outcome" values).
std::vector<std::string> OptionsOf(const workflows::WorkflowRegistry& registry,
                                   const std::string& workflow, const std::string& command,
                                   const std::string& field) {
  std::vector<std::string> out;
  const auto* def = registry.Latest(workflow);
  if (!def) return out;
  for (const auto& t : def->transitions()) {
    if (t.command() != command) continue;
    for (const auto& f : t.fields()) {
      if (f.field() != field) continue;
      for (const auto& o : f.options()) {
        if (std::find(out.begin(), out.end(), o.value()) == out.end()) out.push_back(o.value());
      }
    }
  }
  return out;
}

std::vector<std::string> StatesOf(const workflows::WorkflowRegistry& registry,
                                  const std::string& workflow) {
  std::vector<std::string> out;
  if (const auto* def = registry.Latest(workflow)) {
    for (const auto& s : def->states()) out.push_back(s.name());
  }
  return out;
}

struct Layout {
  std::vector<std::string> rows, cols;
};

std::vector<std::vector<int64_t>> Matrix(const Counts& c, const Layout& l) {
  std::vector<std::vector<int64_t>> m(l.rows.size(), std::vector<int64_t>(l.cols.size(), 0));
  for (size_t i = 0; i < l.rows.size(); ++i) {
    auto row = c.find(l.rows[i]);
    if (row == c.end()) continue;
    for (size_t j = 0; j < l.cols.size(); ++j) {
      auto v = row->second.find(l.cols[j]);
      if (v != row->second.end()) m[i][j] = v->second;
    }
  }
  return m;
}

TableView MakeTable(std::string id, std::string unit, const Layout& l,
                    const std::vector<std::vector<int64_t>>& m, const SuppressionMask* mask,
                    int64_t scale = 1) {
  TableView t;
  t.id = std::move(id);
  t.unit = std::move(unit);
  t.rows = l.rows;
  t.cols = l.cols;
  const auto shown = [&](int64_t v, bool hidden) {
    return hidden ? CountCell{0, true}
                  : CountCell{static_cast<int64_t>(std::llround(static_cast<double>(v) / scale)),
                              false};
  };
  int64_t total = 0;
  std::vector<int64_t> col_totals(l.cols.size(), 0);
  for (size_t i = 0; i < l.rows.size(); ++i) {
    std::vector<CountCell> row;
    int64_t row_total = 0;
    for (size_t j = 0; j < l.cols.size(); ++j) {
      row.push_back(shown(m[i][j], mask && mask->cell[i][j]));
      row_total += m[i][j];
      col_totals[j] += m[i][j];
    }
    t.cells.push_back(std::move(row));
    t.row_totals.push_back(shown(row_total, mask && mask->row_total[i]));
    total += row_total;
  }
  for (size_t j = 0; j < l.cols.size(); ++j)
    t.col_totals.push_back(shown(col_totals[j], mask && mask->col_total[j]));
  t.total = shown(total, mask && mask->total);
  return t;
}

// Masks for tables that split the same counts (same rows) several ways: a row total hidden
// in one is hidden in all, to a fixed point.
std::vector<SuppressionMask> FamilyMasks(
    const std::vector<std::vector<std::vector<int64_t>>>& tables, int64_t threshold) {
  const size_t rows = tables.empty() ? 0 : tables[0].size();
  std::vector<bool> hide_rows(rows, false);
  bool hide_total = false;
  std::vector<SuppressionMask> masks(tables.size());
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t t = 0; t < tables.size(); ++t) {
      masks[t] = Suppress(tables[t], threshold, hide_rows, hide_total);
      for (size_t i = 0; i < rows; ++i) {
        if (masks[t].row_total[i] && !hide_rows[i]) hide_rows[i] = changed = true;
      }
      if (masks[t].total && !hide_total) hide_total = changed = true;
    }
  }
  return masks;
}

class Renderer {
 public:
  Renderer(const DashboardProjection& d, const workflows::WorkflowRegistry& r,
           const DashboardQuery& q)
      : book_(d.tallies()), registry_(r), query_(q) {}

  DashboardView Render(uint64_t position) {
    view_.position = position;
    view_.suppressed = query_.suppress;
    view_.threshold = query_.threshold;
    view_.months = Months();
    Funnels();
    Outcomes();
    Placements();
    Monthly("anapec.answers", "answers", {"confirmed", "refused"});
    Financing();
    Monthly("training_dropouts.month", "dropouts",
            OptionsOf(registry_, "training", "RecordTrainingDropout", "reason"));
    Cooperatives();
    Sri();
    Anapec();
    return std::move(view_);
  }

 private:
  std::vector<std::string> Known(std::string_view dim) const {
    if (dim == "sex") return {"female", "male", "not_stated"};
    if (dim == "age_group") return {"18-24", "25-59", "60+"};
    if (dim == "disability" || dim == "specific_needs") return {"yes", "no"};
    if (dim == "city")
      return {registry_.params().cities().begin(), registry_.params().cities().end()};
    return {};
  }

  std::vector<std::string> Months() const {
    std::set<std::string> seen;
    for (size_t t = 0; t < book_.table_count(); ++t) {
      const std::string& name = book_.TableName(static_cast<TallyBook::TableId>(t));
      const bool by_col = name.rfind("entered.", 0) == 0 || name == "outcomes.month" ||
                          name == "placements.month" || name == "anapec.answers" ||
                          name.rfind("financing.", 0) == 0 || name == "training_dropouts.month";
      if (by_col) seen.merge(ColsOf(Collect(book_, name)));
      if (name == "anapec.turnaround") seen.merge(RowsOf(Collect(book_, name)));
    }
    std::vector<std::string> out;
    if (seen.empty()) return out;
    for (std::string m = *seen.begin(); m <= *seen.rbegin(); m = NextMonth(m)) out.push_back(m);
    return out;
  }

  bool Suppressing() const { return query_.suppress && query_.threshold > 1; }

  void AddFamily(const std::vector<std::string>& ids, const std::string& unit,
                 const std::vector<Layout>& layouts, const std::vector<Counts>& counts) {
    std::vector<std::vector<std::vector<int64_t>>> matrices;
    for (size_t k = 0; k < ids.size(); ++k) matrices.push_back(Matrix(counts[k], layouts[k]));
    std::vector<SuppressionMask> masks;
    if (Suppressing()) masks = FamilyMasks(matrices, query_.threshold);
    for (size_t k = 0; k < ids.size(); ++k) {
      view_.tables.push_back(
          MakeTable(ids[k], unit, layouts[k], matrices[k], masks.empty() ? nullptr : &masks[k]));
      if (!masks.empty()) masks_[ids[k]] = masks[k];
    }
  }

  // A table `prefix.month` and, when `by_dims`, `prefix.<dim>`, all with rows `rows`.
  void Split(const std::string& prefix, const std::string& unit,
             const std::vector<std::string>& known_rows, bool by_month, bool by_dims) {
    std::vector<std::string> ids;
    std::vector<Counts> counts;
    if (by_month) ids.push_back(prefix + ".month");
    if (by_dims) {
      for (auto dim : kDimensions) ids.push_back(prefix + "." + std::string(dim));
    }
    std::set<std::string> rows;
    for (const auto& id : ids) {
      counts.push_back(Collect(book_, id));
      rows.merge(RowsOf(counts.back()));
    }
    const std::vector<std::string> row_axis = Axis(known_rows, rows);
    std::vector<Layout> layouts;
    for (size_t k = 0; k < ids.size(); ++k) {
      const bool monthly = by_month && k == 0;
      const std::string dim = monthly ? "" : ids[k].substr(prefix.size() + 1);
      layouts.push_back({row_axis, monthly ? view_.months : Axis(Known(dim), ColsOf(counts[k]))});
    }
    AddFamily(ids, unit, layouts, counts);
  }

  void Funnels() {
    for (const char* pathway :
         {"case", "employment", "microproject", "training", "cooperative_membership"}) {
      Split(std::string("funnel.") + pathway, "participants", StatesOf(registry_, pathway), false,
            true);
    }
    for (const char* workflow :
         {"case", "employment", "microproject", "training", "cooperative_membership"}) {
      Monthly(std::string("entered.") + workflow, "moves", StatesOf(registry_, workflow));
    }
  }

  void Monthly(const std::string& id, const std::string& unit,
               const std::vector<std::string>& known_rows, bool suppress = true) {
    const Counts c = Collect(book_, id);
    const Layout l{Axis(known_rows, RowsOf(c)), view_.months};
    const auto m = Matrix(c, l);
    std::optional<SuppressionMask> mask;
    if (suppress && Suppressing()) mask = Suppress(m, query_.threshold);
    view_.tables.push_back(MakeTable(id, unit, l, m, mask ? &*mask : nullptr));
    if (mask) masks_[id] = *mask;
  }

  void Outcomes() {
    const auto outcomes = OptionsOf(registry_, "case", "ProposeClosure", "outcome");
    Split("outcomes", "cases", outcomes, true, true);
    // Progress against the target: self-reliant closures recorded inside the window.
    const auto& p = registry_.params();
    TargetProgress& t = view_.target;
    t.start = p.programme_start();
    t.months = p.programme_months();
    t.target = p.self_reliance_target();
    const auto start = workflows::ParseDate(p.programme_start());
    if (!start) return;
    t.end =
        workflows::FormatDate(workflows::AddMonths(*start, static_cast<int>(p.programme_months())));
    const std::string first = MonthOf(*start), last = t.end.substr(0, 7);
    const Counts c = Collect(book_, "outcomes.month");
    int64_t in_window = 0, all = 0;
    if (auto row = c.find("self_reliant"); row != c.end()) {
      for (const auto& [month, n] : row->second) {
        all += n;
        if (month >= first && month < last) in_window += n;
      }
    }
    const bool small = in_window > 0 && in_window < query_.threshold;
    const bool gives_away = all - in_window > 0 && all - in_window < query_.threshold;
    const int row = RowIndex("outcomes.month", "self_reliant");
    const bool row_hidden =
        Suppressing() && row >= 0 && masks_["outcomes.month"].row_total[static_cast<size_t>(row)];
    const bool hide = Suppressing() && (small || gives_away || row_hidden);
    t.self_reliant = hide ? CountCell{0, true} : CountCell{in_window, false};
    if (Suppressing()) return;  // a cumulative series would give away monthly counts by difference
    int64_t cumulative = 0;
    for (const auto& month : view_.months) {
      if (month < first || month >= last) continue;
      if (auto row = c.find("self_reliant"); row != c.end()) {
        if (auto n = row->second.find(month); n != row->second.end()) cumulative += n->second;
      }
      t.cumulative.emplace_back(month, CountCell{cumulative, false});
    }
  }

  int RowIndex(const std::string& table, const std::string& row) const {
    const TableView* t = view_.Find(table);
    if (!t) return -1;
    auto it = std::find(t->rows.begin(), t->rows.end(), row);
    return it == t->rows.end() ? -1 : static_cast<int>(it - t->rows.begin());
  }

  void Placements() {
    Split("placements", "placements", {"tahfiz_eligible", "not_tahfiz_eligible"}, true, true);
  }

  void Financing() {
    const std::vector<std::string> kinds = {"microproject.grant", "microproject.microcredit",
                                            "cooperative.grant", "cooperative.microcredit"};
    Monthly("financing.count", "financings", kinds);
    // Every granted financing adds to both tables: the amounts have the counts' rows.
    const Layout l{view_.tables.back().rows, view_.months};
    const SuppressionMask* mask = Suppressing() ? &masks_["financing.count"] : nullptr;
    view_.tables.push_back(MakeTable(
        "financing.mad", "MAD", l, Matrix(Collect(book_, "financing.mad_centimes"), l), mask, 100));
  }

  void Cooperatives() {
    const Counts now = Collect(book_, "cooperatives.now");
    const Layout l{Axis(StatesOf(registry_, "cooperative"), RowsOf(now)),
                   Axis(Known("city"), ColsOf(now))};
    view_.tables.push_back(
        MakeTable("cooperatives.now", "cooperatives", l, Matrix(now, l), nullptr));
    Monthly("entered.cooperative", "moves", StatesOf(registry_, "cooperative"), false);
    const Counts entered = Collect(book_, "entered.cooperative");
    const auto row_sum = [](const Counts& c, const std::string& row) {
      int64_t n = 0;
      if (auto it = c.find(row); it != c.end()) {
        for (const auto& [col, v] : it->second) n += v;
      }
      return n;
    };
    view_.cooperatives = {row_sum(entered, "forming"), row_sum(entered, "registered"),
                          row_sum(now, "operating") + row_sum(now, "established")};
  }

  void Sri() {
    const Counts c = Collect(book_, "sri");
    for (const auto& domain : SriDomains()) {
      SriDomainView v;
      v.domain = domain;
      auto row = c.find(domain);
      const auto get = [&](const char* col) -> int64_t {
        if (row == c.end()) return 0;
        auto it = row->second.find(col);
        return it == row->second.end() ? 0 : it->second;
      };
      const int64_t n = get("n");
      v.suppressed = Suppressing() && n > 0 && n < query_.threshold;
      if (!v.suppressed) {
        v.cases = static_cast<uint64_t>(n);
        if (n > 0) {
          v.baseline_mean = static_cast<double>(get("baseline_sum")) / static_cast<double>(n);
          v.endline_mean = static_cast<double>(get("endline_sum")) / static_cast<double>(n);
          v.change = *v.endline_mean - *v.baseline_mean;
        }
      }
      view_.sri.push_back(std::move(v));
    }
  }

  Turnaround Stats(const std::map<int64_t, int64_t>& histogram) const {
    Turnaround t;
    std::vector<std::pair<int64_t, int64_t>> h(histogram.begin(), histogram.end());
    int64_t n = 0;
    for (const auto& [days, count] : h) n += count;
    if (Suppressing() && n > 0 && n < query_.threshold) {
      t.suppressed = true;
      return t;
    }
    t.answers = static_cast<uint64_t>(n);
    t.median_days = Percentile(h, 50);
    t.p90_days = Percentile(h, 90);
    return t;
  }

  void Anapec() {
    const Counts c = Collect(book_, "anapec.turnaround");
    std::map<int64_t, int64_t> all;
    std::map<std::string, std::map<int64_t, int64_t>> by_month;
    for (const auto& [month, days] : c) {
      for (const auto& [d, n] : days) {
        all[std::stoll(d)] += n;
        by_month[month][std::stoll(d)] += n;
      }
    }
    view_.anapec_turnaround = Stats(all);
    for (const auto& month : view_.months)
      view_.anapec_turnaround_by_month.emplace_back(month, Stats(by_month[month]));
  }

  const TallyBook& book_;
  const workflows::WorkflowRegistry& registry_;
  const DashboardQuery& query_;
  DashboardView view_;
  std::map<std::string, SuppressionMask> masks_;
};

}  // namespace

const TableView* DashboardView::Find(const std::string& id) const {
  for (const auto& t : tables) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

std::optional<int64_t> Percentile(const std::vector<std::pair<int64_t, int64_t>>& histogram,
                                  double p) {
  int64_t n = 0;
  for (const auto& [value, count] : histogram) n += count;
  if (n == 0) return std::nullopt;
  const auto rank = static_cast<int64_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  int64_t seen = 0;
  for (const auto& [value, count] : histogram) {
    seen += count;
    if (seen >= std::max<int64_t>(rank, 1)) return value;
  }
  return histogram.back().first;
}

DashboardView RenderDashboard(const DashboardProjection& dashboard,
                              const workflows::WorkflowRegistry& registry,
                              const DashboardQuery& query, uint64_t position) {
  return Renderer(dashboard, registry, query).Render(position);
}

}  // namespace piseruma::projections
