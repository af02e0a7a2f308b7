// Small-cell suppression for the steering committee: no count the committee sees, or can
// derive from the totals it sees, identifies fewer than `threshold` people.
//
// Primary suppression hides every count from 1 to threshold-1 — cells and totals alike (a
// total is a count too). Complementary suppression then hides more cells until no
// suppressed count can be worked out from what is shown:
//   1. (by subtraction) a row or column — or the row of column totals, or the column of
//      row totals, each with the grand total — with exactly one hidden count would give it
//      away: hide the smallest other count in it (a cell before a total, a non-zero count
//      before a zero);
//   2. (by combining rows and columns) a hidden count that lies on no cycle of hidden
//      counts is still determined by a sum of row and column equations: hide the smallest
//      count that closes a cycle through it;
// repeated until neither applies. Totals that are shown are the true totals. Zeros are
// shown as zeros unless hidden as complements.
//
// Thread-safety: pure function.
//
//   SuppressionMask mask = Suppress({{12, 3, 40}, {30, 8, 50}}, 5);
//   if (mask.cell[0][1]) show("<5");  // the 3 — and 12, 30 and 8 with it, so that no row or
//                                     // column is left with a single hidden count
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace piseruma::projections {

struct SuppressionMask {
  std::vector<std::vector<bool>> cell;  // [row][col]: hide this count
  std::vector<bool> row_total;
  std::vector<bool> col_total;
  bool total = false;
  size_t hidden = 0;  // how many counts are hidden, totals included
};

// REQUIRES: `counts` is rectangular (every row as long as the first) and non-negative.
// threshold <= 1 hides nothing (beyond what is forced).
SuppressionMask Suppress(const std::vector<std::vector<int64_t>>& counts, int64_t threshold);

// The same, with some row totals (and the grand total) hidden from the start: for tables
// that publish the same totals (one count of people split by sex, by city, …), so a total
// hidden in one of them is hidden in all. REQUIRES: hide_row_totals is empty or has one
// entry per row.
SuppressionMask Suppress(const std::vector<std::vector<int64_t>>& counts, int64_t threshold,
                         const std::vector<bool>& hide_row_totals, bool hide_total);

}  // namespace piseruma::projections
