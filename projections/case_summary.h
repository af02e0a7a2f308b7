// CaseSummaryProjection: one row per case — participant code (never the name), city,
// caseworker, pathways and their states, the case's state, open deadlines, last activity —
// and the state of each cooperative, so a member's case can say it awaits ODCO. The
// caseworker's case list and the caseloads (caseload.h) are queries over it.
//
// Overdue is decided at query time against `today`: a deadline is overdue when the
// deadline scheduler marked it so, or when its day has passed (so the list is right even
// before the scheduler ran).
//
// Thread-safety: see projection.h; the const queries may run concurrently with each other.
//
//   CasePage page = summary.Query({.cities = {"Rabat"}, .overdue = true}, today);
//   for (const CaseSummary& c : page.rows) show(c.participant_code, c.next_due_on);
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "projections/projection.h"
#include "projections/proto/rows.pb.h"
#include "workflows/dates.h"

namespace piseruma::projections {

// What a case waits for from a supervisor.
enum class Awaiting { kAny, kPlanReview, kClosureApproval, kTransferAnswer };

enum class CaseSort { kNextDue, kLastActivity, kParticipantCode, kCity, kCaseworker, kState };

struct CaseQuery {
  std::vector<std::string> cities;  // any of these; empty = every city
  std::string caseworker_id;        // "" = any
  std::string pathway;              // the case follows this pathway; "" = any
  // The case workflow's state; with `pathway`, that pathway's state. "" = any.
  std::string state;
  std::optional<bool> overdue;
  // Free-text lookup: a case id, or the start of a participant code or UNHCR number,
  // ignoring case, spaces and dashes ("mor 24c" finds MOR-24C00017). "" = any.
  std::string search;
  Awaiting awaiting = Awaiting::kAny;
  CaseSort sort = CaseSort::kNextDue;  // ties: participant code
  bool descending = false;
  size_t offset = 0;
  size_t limit = 50;  // capped at kMaxCasePage
};

inline constexpr size_t kMaxCasePage = 500;

// One case as its caseworker's list shows it.
struct CaseSummary {
  std::string case_id;
  std::string participant_code;
  std::string unhcr_id;  // "" once the personal data is erased
  std::string city;
  std::string caseworker_id;
  std::string state;
  std::vector<std::pair<std::string, std::string>> pathways;  // pathway → state, by name
  std::string next_due_on;        // the earliest open deadline; "" when none
  std::string next_due_deadline;  // its name
  bool overdue = false;           // any open deadline overdue
  uint32_t overdue_deadlines = 0;
  int64_t last_activity_us = 0;
  std::string registered_on;
  std::string cooperative_id;
  std::string outcome;           // set while closed
  std::string proposed_outcome;  // set while a closure awaits a supervisor
  bool transfer_pending = false;
  bool personal_data_erased = false;
};

struct CasePage {
  uint64_t total = 0;  // rows matching the filters, over all pages
  size_t offset = 0;
  size_t limit = 0;
  std::vector<CaseSummary> rows;
};

class CaseSummaryProjection final : public Projection {
 public:
  // REQUIRES: `streams` outlives the projection.
  explicit CaseSummaryProjection(StreamIndex* streams) : streams_(streams) {}
  static constexpr std::string_view kName = "case_summary";
  std::string_view name() const override { return kName; }
  uint32_t version() const override { return 2; }

  void Clear() override;
  Status LoadRow(std::string_view key, std::string_view value) override;
  void Apply(const ProjectionEvent& event) override;
  void WriteChanges(RowWriter* out) override;

  CasePage Query(const CaseQuery& query, workflows::Day today) const;
  std::optional<CaseSummary> Get(const std::string& case_id, workflows::Day today) const;

  // Raw access for the caseload queries and the tests.
  template <typename Fn>  // Fn(const CaseRow&)
  void ForEachCase(Fn fn) const {
    for (const auto& entry : cases_) {
      if (entry.present) fn(entry.row);
    }
  }
  template <typename Fn>  // Fn(const std::string& cooperative_id, const CooperativeStatus&)
  void ForEachCooperative(Fn fn) const {
    for (const auto& [id, entry] : coops_) fn(id, entry.status);
  }
  // The cooperative's state; "" when unknown.
  std::string CooperativeState(const std::string& cooperative_id) const;
  size_t case_count() const { return case_count_; }

 private:
  struct CaseEntry {
    CaseRow row;
    bool present = false;
    bool dirty = false;
  };
  struct CoopEntry {
    CooperativeStatus status;
    bool dirty = false;
  };
  CaseEntry& Case(uint32_t stream);
  void ApplyCooperative(const ProjectionEvent& e);

  StreamIndex* streams_;
  std::vector<CaseEntry> cases_;  // by stream number
  size_t case_count_ = 0;
  std::unordered_map<std::string, CoopEntry> coops_;  // few: by id
  std::vector<uint32_t> dirty_cases_;
  std::vector<const std::string*> dirty_coops_;  // keys of coops_ (node keys are stable)
};

// What a caseworker sees of a row on `today`.
CaseSummary Summarize(const CaseRow& row, workflows::Day today);
// A deadline is overdue when marked, or when its day is before `today` (an ISO date: ISO
// dates compare as strings, so a query formats today once instead of parsing every date).
bool IsOverdue(const CaseDeadline& deadline, std::string_view today);
// `text` upper-cased without spaces and dashes: the form CaseQuery::search compares in.
std::string SearchKey(std::string_view text);

}  // namespace piseruma::projections
