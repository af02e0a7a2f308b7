// Small-cell suppression: no count from 1 to threshold-1 is shown, and none can be worked out
// from what is shown — neither by subtracting shown counts from a shown total in any row or
// column (checked on every row and column of thousands of random tables), nor by any
// combination of the row and column equations (an exact linear-algebra audit).
#include "projections/suppression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace piseruma::projections {
namespace {

using Table = std::vector<std::vector<int64_t>>;

// The table with its totals as an (R+1)×(C+1) grid, and which entries are hidden.
struct Grid {
  std::vector<std::vector<int64_t>> value;
  std::vector<std::vector<bool>> hidden;
};

Grid Augment(const Table& t, const SuppressionMask& m) {
  const size_t rows = t.size(), cols = rows ? t[0].size() : 0;
  Grid g{std::vector<std::vector<int64_t>>(rows + 1, std::vector<int64_t>(cols + 1, 0)),
         std::vector<std::vector<bool>>(rows + 1, std::vector<bool>(cols + 1, false))};
  for (size_t i = 0; i < rows; ++i) {
    for (size_t j = 0; j < cols; ++j) {
      g.value[i][j] = t[i][j];
      g.value[i][cols] += t[i][j];
      g.value[rows][j] += t[i][j];
      g.value[rows][cols] += t[i][j];
      g.hidden[i][j] = m.cell[i][j];
    }
    g.hidden[i][cols] = m.row_total[i];
  }
  for (size_t j = 0; j < cols; ++j) g.hidden[rows][j] = m.col_total[j];
  g.hidden[rows][cols] = m.total;
  return g;
}

// What a reader can work out by subtraction alone: repeatedly, a row or column (the totals
// row and column included) with exactly one hidden entry gives that entry away. Returns the
// entries revealed, as "r,c" strings; empty when suppression holds.
std::vector<std::string> SubtractionAttack(Grid g) {
  std::vector<std::string> revealed;
  const size_t rows = g.value.size(), cols = g.value[0].size();
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < rows; ++i) {
      int hidden = 0;
      size_t at = 0;
      for (size_t j = 0; j < cols; ++j) {
        if (g.hidden[i][j]) ++hidden, at = j;
      }
      if (hidden == 1) {
        revealed.push_back(std::to_string(i) + "," + std::to_string(at));
        g.hidden[i][at] = false;
        progress = true;
      }
    }
    for (size_t j = 0; j < cols; ++j) {
      int hidden = 0;
      size_t at = 0;
      for (size_t i = 0; i < rows; ++i) {
        if (g.hidden[i][j]) ++hidden, at = i;
      }
      if (hidden == 1) {
        revealed.push_back(std::to_string(at) + "," + std::to_string(j));
        g.hidden[at][j] = false;
        progress = true;
      }
    }
  }
  return revealed;
}

size_t Rank(std::vector<std::vector<double>> m) {
  size_t rank = 0;
  const size_t cols = m.empty() ? 0 : m[0].size();
  for (size_t c = 0; c < cols && rank < m.size(); ++c) {
    size_t pivot = rank;
    for (size_t r = rank; r < m.size(); ++r) {
      if (std::fabs(m[r][c]) > std::fabs(m[pivot][c])) pivot = r;
    }
    if (std::fabs(m[pivot][c]) < 1e-9) continue;
    std::swap(m[pivot], m[rank]);
    for (size_t r = 0; r < m.size(); ++r) {
      if (r == rank || std::fabs(m[r][c]) < 1e-12) continue;
      const double f = m[r][c] / m[rank][c];
      for (size_t k = c; k < cols; ++k) m[r][k] -= f * m[rank][k];
    }
    ++rank;
  }
  return rank;
}

// Hidden entries whose value the row and column equations determine (any combination).
std::vector<std::string> AlgebraAttack(const Grid& g) {
  const size_t rows = g.value.size(), cols = g.value[0].size();
  std::vector<std::pair<size_t, size_t>> unknowns;
  for (size_t i = 0; i < rows; ++i) {
    for (size_t j = 0; j < cols; ++j) {
      if (g.hidden[i][j]) unknowns.emplace_back(i, j);
    }
  }
  if (unknowns.empty()) return {};
  // Row i: entries j < cols-1 sum to entry cols-1. Column j: entries i < rows-1 sum to entry
  // rows-1.
  std::vector<std::vector<double>> a;
  for (size_t i = 0; i < rows; ++i) {
    std::vector<double> eq(unknowns.size(), 0);
    for (size_t k = 0; k < unknowns.size(); ++k) {
      if (unknowns[k].first == i) eq[k] = unknowns[k].second == cols - 1 ? -1 : 1;
    }
    a.push_back(eq);
  }
  for (size_t j = 0; j < cols; ++j) {
    std::vector<double> eq(unknowns.size(), 0);
    for (size_t k = 0; k < unknowns.size(); ++k) {
      if (unknowns[k].second == j) eq[k] = unknowns[k].first == rows - 1 ? -1 : 1;
    }
    a.push_back(eq);
  }
  const size_t base = Rank(a);
  std::vector<std::string> determined;
  for (size_t k = 0; k < unknowns.size(); ++k) {
    auto with = a;
    std::vector<double> unit(unknowns.size(), 0);
    unit[k] = 1;
    with.push_back(unit);
    if (Rank(with) == base)
      determined.push_back(std::to_string(unknowns[k].first) + "," +
                           std::to_string(unknowns[k].second));
  }
  return determined;
}

void ExpectProtected(const Table& t, int64_t threshold, const SuppressionMask& m) {
  const Grid g = Augment(t, m);
  for (size_t i = 0; i < g.value.size(); ++i) {
    for (size_t j = 0; j < g.value[i].size(); ++j) {
      const int64_t v = g.value[i][j];
      if (v > 0 && v < threshold) {
        EXPECT_TRUE(g.hidden[i][j]) << "count " << v << " at " << i << "," << j << " shown";
      }
    }
  }
  // Every row and every column: no hidden count stands alone beside a shown total.
  for (size_t i = 0; i < g.value.size(); ++i) {
    int hidden = 0;
    for (size_t j = 0; j < g.value[i].size(); ++j) hidden += g.hidden[i][j];
    EXPECT_NE(hidden, 1) << "row " << i << " gives its hidden count away by subtraction";
  }
  for (size_t j = 0; j < g.value[0].size(); ++j) {
    int hidden = 0;
    for (size_t i = 0; i < g.value.size(); ++i) hidden += g.hidden[i][j];
    EXPECT_NE(hidden, 1) << "column " << j << " gives its hidden count away by subtraction";
  }
  EXPECT_TRUE(SubtractionAttack(g).empty());
  const auto determined = AlgebraAttack(g);
  EXPECT_TRUE(determined.empty()) << "determined by the equations: " << determined.front();
}

TEST(SuppressionTest, HidesSmallCountsAndTheirComplements) {
  const Table t = {{12, 3}, {40, 8}};
  const SuppressionMask m = Suppress(t, 5);
  EXPECT_TRUE(m.cell[0][1]);  // 3: primary
  // Row 0 and column 1 would give the 3 away: 12 and 8 are hidden with it, then 40 for column 0.
  EXPECT_TRUE(m.cell[0][0]);
  EXPECT_TRUE(m.cell[1][1]);
  EXPECT_TRUE(m.cell[1][0]);
  EXPECT_FALSE(m.row_total[0]);  // 15: shown, the true total
  EXPECT_FALSE(m.total);
  ExpectProtected(t, 5, m);
}

TEST(SuppressionTest, PrefersTheSmallestNonZeroComplement) {
  const Table t = {{2, 0, 30, 9, 50}, {20, 0, 31, 10, 51}, {21, 0, 32, 11, 52}};
  const SuppressionMask m = Suppress(t, 5);
  EXPECT_TRUE(m.cell[0][0]);
  EXPECT_TRUE(m.cell[0][3]);  // 9, the smallest non-zero in row 0 — not the zero beside it
  EXPECT_FALSE(m.cell[0][1]);
  EXPECT_TRUE(m.cell[1][0]);  // 20, the smallest in column 0 after the 2
  EXPECT_TRUE(m.cell[1][3]);  // 10, closing the cycle
  EXPECT_FALSE(m.cell[2][2]);
  EXPECT_EQ(m.hidden, 4u);
  ExpectProtected(t, 5, m);
}

TEST(SuppressionTest, ASmallTotalIsHiddenAndCannotBeRecoveredFromTheGrandTotal) {
  const Table t = {{1, 2}, {30, 40}, {25, 35}};  // row 0 totals 3
  const SuppressionMask m = Suppress(t, 5);
  EXPECT_TRUE(m.row_total[0]);
  ExpectProtected(t, 5, m);
}

TEST(SuppressionTest, NothingSmallNothingHidden) {
  const Table t = {{10, 0, 7}, {0, 5, 9}};
  const SuppressionMask m = Suppress(t, 5);
  EXPECT_EQ(m.hidden, 0u);
  EXPECT_EQ(Suppress({{1, 2}, {3, 4}}, 1).hidden, 0u);  // threshold 1: nothing is small
}

TEST(SuppressionTest, TheThresholdIsAParameter) {
  const Table t = {{6, 30}, {40, 50}};
  EXPECT_EQ(Suppress(t, 5).hidden, 0u);
  const SuppressionMask m = Suppress(t, 10);
  EXPECT_TRUE(m.cell[0][0]);
  ExpectProtected(t, 10, m);
}

TEST(SuppressionTest, ForcedTotalsStayHidden) {
  const Table t = {{10, 20}, {30, 40}};
  const SuppressionMask m = Suppress(t, 5, {true, false}, false);
  EXPECT_TRUE(m.row_total[0]);
  ExpectProtected(t, 5, m);
}

TEST(SuppressionTest, OneRowOneColumnAndEmptyTables) {
  ExpectProtected({{3, 40, 50}}, 5, Suppress({{3, 40, 50}}, 5));
  ExpectProtected({{3}, {40}, {50}}, 5, Suppress({{3}, {40}, {50}}, 5));
  ExpectProtected({{3}}, 5, Suppress({{3}}, 5));
  EXPECT_EQ(Suppress({}, 5).hidden, 0u);
}

TEST(SuppressionTest, RandomTablesNeverGiveAHiddenCountAway) {
  std::mt19937 rng(20261129);
  size_t hidden = 0;
  for (int n = 0; n < 3000; ++n) {
    const size_t rows = 1 + rng() % 6, cols = 1 + rng() % 8;
    const int64_t threshold = 2 + static_cast<int64_t>(rng() % 9);
    Table t(rows, std::vector<int64_t>(cols));
    for (auto& row : t) {
      for (auto& v : row) {
        const unsigned kind = rng() % 4;  // zeros, small counts, and larger ones
        v = kind == 0   ? 0
            : kind == 1 ? 1 + static_cast<int64_t>(rng() % 6)
                        : static_cast<int64_t>(rng() % 60);
      }
    }
    SCOPED_TRACE("table " + std::to_string(n) + " (" + std::to_string(rows) + "×" +
                 std::to_string(cols) + ", threshold " + std::to_string(threshold) + ")");
    const SuppressionMask m = Suppress(t, threshold);
    ExpectProtected(t, threshold, m);
    EXPECT_EQ(m.cell, Suppress(t, threshold).cell) << "suppression must be deterministic";
    hidden += m.hidden;
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(hidden, 0u);
}

}  // namespace
}  // namespace piseruma::projections
