// The table is handled with its totals as one (R+1)×(C+1) grid: row R holds the column
// totals, column C the row totals, (R, C) the grand total. Every row and every column of
// the grid is then one equation "entries = total", and hidden counts are the unknowns.
// Seen as a bipartite graph — a node per grid row and per grid column, an edge per hidden
// count — a hidden count can be solved for exactly when its edge is a bridge (lies on no
// cycle); a row or column with one hidden count is the simplest such bridge.
#include "projections/suppression.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <tuple>

namespace piseruma::projections {
namespace {

class Grid {
 public:
  Grid(const std::vector<std::vector<int64_t>>& counts, int64_t threshold)
      : rows_(counts.size()), cols_(counts.empty() ? 0 : counts[0].size()) {
    value_.assign((rows_ + 1) * (cols_ + 1), 0);
    hidden_.assign(value_.size(), false);
    for (size_t i = 0; i < rows_; ++i) {
      for (size_t j = 0; j < cols_; ++j) {
        const int64_t v = counts[i][j];
        at(i, j) = v;
        at(i, cols_) += v;
        at(rows_, j) += v;
        at(rows_, cols_) += v;
      }
    }
    for (size_t k = 0; k < value_.size(); ++k) hidden_[k] = value_[k] > 0 && value_[k] < threshold;
  }

  void Force(const std::vector<bool>& row_totals, bool total) {
    for (size_t i = 0; i < rows_ && i < row_totals.size(); ++i) {
      if (row_totals[i]) hidden_[i * (cols_ + 1) + cols_] = true;
    }
    if (total) hidden_[rows_ * (cols_ + 1) + cols_] = true;
  }

  // Rule 1: an equation with one unknown. Returns whether it hid a count.
  bool HideBySubtraction() {
    bool changed = false;
    for (size_t i = 0; i <= rows_; ++i) {
      if (Unknowns(i, true) == 1) changed |= HideBest([&](size_t r, size_t) { return r == i; });
    }
    for (size_t j = 0; j <= cols_; ++j) {
      if (Unknowns(j, false) == 1) changed |= HideBest([&](size_t, size_t c) { return c == j; });
    }
    return changed;
  }

  // Rule 2: a hidden count on no cycle. Returns whether it hid a count.
  bool HideByCycles() {
    BuildGraph();
    const int bridge = FindBridge();
    if (bridge < 0) return false;
    const auto [p, q] = edges_[static_cast<size_t>(bridge)];
    // Which side of the bridge each node is on: 0 with p, 1 with q, 2 neither.
    std::vector<int> side(nodes(), 2);
    Spread(p, 0, bridge, &side);
    Spread(q, 1, bridge, &side);
    const bool closed = HideBest([&](size_t r, size_t c) {
      const int a = side[r], b = side[rows_ + 1 + c];
      return (a == 0 && b == 1) || (a == 1 && b == 0);
    });
    if (closed) return true;
    const size_t pr = p, qc = q - (rows_ + 1);
    return HideBest([&](size_t r, size_t c) { return r == pr || c == qc; });
  }

  SuppressionMask Mask() const {
    SuppressionMask m;
    m.cell.assign(rows_, std::vector<bool>(cols_, false));
    for (size_t i = 0; i < rows_; ++i) {
      for (size_t j = 0; j < cols_; ++j) m.cell[i][j] = hidden(i, j);
      m.row_total.push_back(hidden(i, cols_));
    }
    for (size_t j = 0; j < cols_; ++j) m.col_total.push_back(hidden(rows_, j));
    m.total = hidden(rows_, cols_);
    m.hidden = static_cast<size_t>(std::count(hidden_.begin(), hidden_.end(), true));
    return m;
  }

 private:
  int64_t& at(size_t i, size_t j) { return value_[i * (cols_ + 1) + j]; }
  int64_t value(size_t i, size_t j) const { return value_[i * (cols_ + 1) + j]; }
  bool hidden(size_t i, size_t j) const { return hidden_[i * (cols_ + 1) + j]; }
  size_t nodes() const { return rows_ + 1 + cols_ + 1; }

  int Unknowns(size_t line, bool is_row) const {
    int n = 0;
    const size_t len = is_row ? cols_ : rows_;
    for (size_t k = 0; k <= len; ++k) n += is_row ? hidden(line, k) : hidden(k, line);
    return n;
  }

  // Hides the best shown count among those `eligible` accepts: a cell before a total, a
  // non-zero count before a zero, then the smallest, then the first. False when none.
  template <typename Eligible>
  bool HideBest(Eligible eligible) {
    std::tuple<bool, bool, int64_t, size_t, size_t> best{true, true,
                                                         std::numeric_limits<int64_t>::max(), 0, 0};
    bool found = false;
    for (size_t i = 0; i <= rows_; ++i) {
      for (size_t j = 0; j <= cols_; ++j) {
        if (hidden(i, j) || !eligible(i, j)) continue;
        std::tuple<bool, bool, int64_t, size_t, size_t> key{i == rows_ || j == cols_,
                                                            value(i, j) == 0, value(i, j), i, j};
        if (!found || key < best) best = key;
        found = true;
      }
    }
    if (found) hidden_[std::get<3>(best) * (cols_ + 1) + std::get<4>(best)] = true;
    return found;
  }

  void BuildGraph() {
    edges_.clear();
    adjacent_.assign(nodes(), {});
    for (size_t i = 0; i <= rows_; ++i) {
      for (size_t j = 0; j <= cols_; ++j) {
        if (!hidden(i, j)) continue;
        const size_t col_node = rows_ + 1 + j;
        adjacent_[i].push_back({col_node, edges_.size()});
        adjacent_[col_node].push_back({i, edges_.size()});
        edges_.emplace_back(i, col_node);
      }
    }
  }

  // The first bridge (Tarjan's low-link), or -1.
  int FindBridge() {
    std::vector<int> order(nodes(), -1), low(nodes(), 0);
    int counter = 0, bridge = -1;
    std::function<void(size_t, size_t)> visit = [&](size_t u, size_t via_edge) {
      order[u] = low[u] = counter++;
      for (const auto& [v, edge] : adjacent_[u]) {
        if (edge == via_edge) continue;
        if (order[v] < 0) {
          visit(v, edge);
          low[u] = std::min(low[u], low[v]);
          if (low[v] > order[u] && bridge < 0) bridge = static_cast<int>(edge);
        } else {
          low[u] = std::min(low[u], order[v]);
        }
      }
    };
    for (size_t u = 0; u < nodes() && bridge < 0; ++u) {
      if (order[u] < 0) visit(u, SIZE_MAX);
    }
    return bridge;
  }

  void Spread(size_t from, int mark, int without_edge, std::vector<int>* side) const {
    std::vector<size_t> stack{from};
    (*side)[from] = mark;
    while (!stack.empty()) {
      const size_t u = stack.back();
      stack.pop_back();
      for (const auto& [v, edge] : adjacent_[u]) {
        if (static_cast<int>(edge) == without_edge || (*side)[v] == mark) continue;
        (*side)[v] = mark;
        stack.push_back(v);
      }
    }
  }

  size_t rows_, cols_;
  std::vector<int64_t> value_;
  std::vector<bool> hidden_;
  std::vector<std::pair<size_t, size_t>> edges_;                  // (row node, col node)
  std::vector<std::vector<std::pair<size_t, size_t>>> adjacent_;  // node → (node, edge)
};

}  // namespace

SuppressionMask Suppress(const std::vector<std::vector<int64_t>>& counts, int64_t threshold) {
  return Suppress(counts, threshold, {}, false);
}

SuppressionMask Suppress(const std::vector<std::vector<int64_t>>& counts, int64_t threshold,
                         const std::vector<bool>& hide_row_totals, bool hide_total) {
  Grid grid(counts, threshold);
  grid.Force(hide_row_totals, hide_total);
  while (grid.HideBySubtraction() || grid.HideByCycles()) {
  }
  return grid.Mask();
}

}  // namespace piseruma::projections
