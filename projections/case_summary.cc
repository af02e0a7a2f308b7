// Rows (see store.cc): 'c' case_id -> CaseRow, 'k' cooperative_id -> CooperativeStatus.
#include "projections/case_summary.h"

#include <algorithm>

#include "workflows/proto/commands.pb.h"

namespace piseruma::projections {
namespace {

using namespace workflows;  // the command messages

void ApplyDeadlines(CaseRow* r, const ProjectionEvent& e) {
  auto* deadlines = r->mutable_deadlines();
  for (const auto& met : e.header->deadlines_met()) {
    for (int i = deadlines->size() - 1; i >= 0; --i) {
      if (deadlines->Get(i).name() == met) deadlines->DeleteSubrange(i, 1);
    }
  }
  for (const auto& started : e.header->deadlines_started()) {
    CaseDeadline* d = nullptr;
    for (auto& existing : *deadlines) {
      if (existing.name() == started.name()) d = &existing;
    }
    if (!d) d = deadlines->Add();
    d->set_name(started.name());
    d->set_machine(started.machine());
    d->set_due_on(started.due_on());
    d->set_overdue(false);
  }
  if (const auto* m = e.As<MarkDeadlineOverdue>()) {
    for (auto& d : *deadlines) {
      if (d.name() == m->deadline()) d.set_overdue(true);
    }
  }
}

void ApplyFacts(CaseRow* r, const ProjectionEvent& e) {
  if (const auto* m = e.As<RegisterParticipant>()) {
    r->set_participant_code(m->participant_code());
    r->set_unhcr_id(m->unhcr_id());
    r->set_city(m->city());
    r->set_caseworker_id(m->caseworker_id());
    r->set_registered_on(m->registered_on());
  } else if (const auto* m = e.As<RequestTransfer>()) {
    r->set_transfer_to_caseworker_id(m->to_caseworker_id());
    r->set_transfer_to_city(m->to_city());
  } else if (e.As<AcceptTransfer>()) {
    r->set_caseworker_id(r->transfer_to_caseworker_id());
    r->set_city(r->transfer_to_city());
    r->clear_transfer_to_caseworker_id();
    r->clear_transfer_to_city();
  } else if (e.As<DeclineTransfer>()) {
    r->clear_transfer_to_caseworker_id();
    r->clear_transfer_to_city();
  } else if (const auto* m = e.As<ProposeClosure>()) {
    r->set_proposed_outcome(m->outcome());
  } else if (e.As<RejectClosure>()) {
    r->clear_proposed_outcome();
  } else if (e.As<ApproveClosure>()) {
    r->set_outcome(r->proposed_outcome());
    r->clear_proposed_outcome();
  } else if (e.As<ReopenCase>()) {
    r->clear_outcome();
  } else if (const auto* m = e.As<JoinCooperative>()) {
    r->set_cooperative_id(m->cooperative_id());
  } else if (e.As<ErasePersonalData>()) {
    r->set_personal_data_erased(true);
    r->clear_unhcr_id();  // the number names a person: the list forgets it with the rest
  }
}

bool AwaitsSupervisor(const CaseRow& r, Awaiting awaiting) {
  switch (awaiting) {
    case Awaiting::kAny:
      return true;
    case Awaiting::kPlanReview: {
      auto it = r.pathways().find("microproject");
      return it != r.pathways().end() && it->second == "plan_submitted";
    }
    case Awaiting::kClosureApproval:
      return !r.proposed_outcome().empty();
    case Awaiting::kTransferAnswer:
      return !r.transfer_to_caseworker_id().empty();
  }
  return false;
}

bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '\t'; }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

// Whether SearchKey(text) starts with `key` (or equals it, with `whole`), without building it.
bool KeyMatches(std::string_view text, std::string_view key, bool whole) {
  size_t k = 0;
  for (char c : text) {
    if (IsSeparator(c)) continue;
    if (k == key.size()) return !whole;
    if (Upper(c) != key[k++]) return false;
  }
  return k == key.size();
}

// `key` is SearchKey(query.search), not empty.
bool Found(const CaseRow& r, std::string_view key) {
  return KeyMatches(r.case_id(), key, true) || KeyMatches(r.participant_code(), key, false) ||
         KeyMatches(r.unhcr_id(), key, false);
}

bool Matches(const CaseRow& r, const CaseQuery& q, std::string_view search_key, bool overdue) {
  if (!search_key.empty() && !Found(r, search_key)) return false;
  if (!AwaitsSupervisor(r, q.awaiting)) return false;
  if (!q.cities.empty() && std::find(q.cities.begin(), q.cities.end(), r.city()) == q.cities.end())
    return false;
  if (!q.caseworker_id.empty() && r.caseworker_id() != q.caseworker_id) return false;
  if (!q.pathway.empty()) {
    auto it = r.pathways().find(q.pathway);
    if (it == r.pathways().end()) return false;
    if (!q.state.empty() && it->second != q.state) return false;
  } else if (!q.state.empty() && r.state() != q.state) {
    return false;
  }
  return !q.overdue || *q.overdue == overdue;
}

// A matching row and what it sorts by.
struct Candidate {
  const CaseRow* row;
  std::string_view next_due;  // "~" (after every date) when the case has no deadline
};

Candidate Prepare(const CaseRow& r) {
  Candidate c{&r, "~"};
  for (const auto& d : r.deadlines()) {
    if (d.due_on() < c.next_due) c.next_due = d.due_on();
  }
  return c;
}

bool Less(const Candidate& x, const Candidate& y, CaseSort sort) {
  const CaseRow& a = *x.row;
  const CaseRow& b = *y.row;
  switch (sort) {
    case CaseSort::kNextDue:
      if (x.next_due != y.next_due) return x.next_due < y.next_due;
      break;
    case CaseSort::kLastActivity:
      if (a.last_activity_us() != b.last_activity_us())
        return a.last_activity_us() < b.last_activity_us();
      break;
    case CaseSort::kParticipantCode:
      break;
    case CaseSort::kCity:
      if (a.city() != b.city()) return a.city() < b.city();
      break;
    case CaseSort::kCaseworker:
      if (a.caseworker_id() != b.caseworker_id()) return a.caseworker_id() < b.caseworker_id();
      break;
    case CaseSort::kState:
      if (a.state() != b.state()) return a.state() < b.state();
      break;
  }
  if (a.participant_code() != b.participant_code())
    return a.participant_code() < b.participant_code();
  return a.case_id() < b.case_id();
}

}  // namespace

std::string SearchKey(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  for (char c : text) {
    if (!IsSeparator(c)) key.push_back(Upper(c));
  }
  return key;
}

bool IsOverdue(const CaseDeadline& d, std::string_view today) {
  return d.overdue() || d.due_on() < today;
}

CaseSummary Summarize(const CaseRow& r, Day today) {
  const std::string today_iso = FormatDate(today);
  CaseSummary s;
  s.case_id = r.case_id();
  s.participant_code = r.participant_code();
  s.unhcr_id = r.unhcr_id();
  s.city = r.city();
  s.caseworker_id = r.caseworker_id();
  s.state = r.state();
  s.pathways.assign(r.pathways().begin(), r.pathways().end());
  std::sort(s.pathways.begin(), s.pathways.end());
  for (const auto& d : r.deadlines()) {
    if (s.next_due_on.empty() || d.due_on() < s.next_due_on) {
      s.next_due_on = d.due_on();
      s.next_due_deadline = d.name();
    }
    if (IsOverdue(d, today_iso)) ++s.overdue_deadlines;
  }
  s.overdue = s.overdue_deadlines > 0;
  s.last_activity_us = r.last_activity_us();
  s.registered_on = r.registered_on();
  s.cooperative_id = r.cooperative_id();
  s.outcome = r.outcome();
  s.proposed_outcome = r.proposed_outcome();
  s.transfer_pending = !r.transfer_to_caseworker_id().empty();
  s.personal_data_erased = r.personal_data_erased();
  return s;
}

CaseSummaryProjection::CaseEntry& CaseSummaryProjection::Case(uint32_t stream) {
  if (stream >= cases_.size()) cases_.resize(stream + 1);
  CaseEntry& entry = cases_[stream];
  if (!entry.present) {
    entry.present = true;
    entry.row.set_case_id(streams_->Name(stream));
    ++case_count_;
  }
  return entry;
}

void CaseSummaryProjection::Clear() {
  cases_.clear();
  case_count_ = 0;
  coops_.clear();
  dirty_cases_.clear();
  dirty_coops_.clear();
}

Status CaseSummaryProjection::LoadRow(std::string_view key, std::string_view value) {
  if (key.size() < 2) return Status::DataLoss("case_summary: a row key is damaged");
  const std::string id(key.substr(1));
  bool ok = false;
  if (key[0] == 'c') {
    ok =
        Case(streams_->Intern(id)).row.ParseFromArray(value.data(), static_cast<int>(value.size()));
  } else if (key[0] == 'k') {
    ok = coops_[id].status.ParseFromArray(value.data(), static_cast<int>(value.size()));
  }
  if (!ok)
    return Status::DataLoss("case_summary: the row of " + id +
                            " is damaged; rebuild the projection");
  return Status::Ok();
}

void CaseSummaryProjection::ApplyCooperative(const ProjectionEvent& e) {
  auto [it, inserted] = coops_.try_emplace(e.stream_id());
  CoopEntry& entry = it->second;
  ForEachStateChange(*e.header, [&](const std::string& machine, const std::string& to) {
    if (machine == "cooperative") entry.status.set_state(to);
  });
  if (const auto* m = e.As<FoundCooperative>()) entry.status.set_city(m->city());
  if (!entry.dirty) {
    entry.dirty = true;
    dirty_coops_.push_back(&it->first);
  }
}

void CaseSummaryProjection::Apply(const ProjectionEvent& e) {
  if (e.kind == StreamKind::kCooperative) return ApplyCooperative(e);
  CaseEntry& entry = Case(e.stream);
  CaseRow& r = entry.row;
  r.set_version(e.envelope->stream_version());
  r.set_last_activity_us(e.envelope->recorded_at_us());
  ForEachStateChange(*e.header, [&](const std::string& machine, const std::string& to) {
    if (machine == "case") {
      r.set_state(to);
    } else {
      (*r.mutable_pathways())[machine] = to;
    }
  });
  ApplyDeadlines(&r, e);
  ApplyFacts(&r, e);
  if (!entry.dirty) {
    entry.dirty = true;
    dirty_cases_.push_back(e.stream);
  }
}

void CaseSummaryProjection::WriteChanges(RowWriter* out) {
  std::string value;
  for (uint32_t stream : dirty_cases_) {
    CaseEntry& entry = cases_[stream];
    entry.row.SerializeToString(&value);
    out->Put('c', entry.row.case_id(), value);
    entry.dirty = false;
  }
  for (const std::string* id : dirty_coops_) {
    CoopEntry& entry = coops_.at(*id);
    entry.status.SerializeToString(&value);
    out->Put('k', *id, value);
    entry.dirty = false;
  }
  dirty_cases_.clear();
  dirty_coops_.clear();
}

CasePage CaseSummaryProjection::Query(const CaseQuery& q, Day today) const {
  CasePage page;
  page.offset = q.offset;
  page.limit = std::min(q.limit, kMaxCasePage);
  const std::string today_iso = FormatDate(today);
  const std::string search_key = SearchKey(q.search);
  std::vector<Candidate> matched;
  for (const auto& entry : cases_) {
    const CaseRow& r = entry.row;
    if (!entry.present || r.participant_code().empty())
      continue;  // never registered: not a case to show
    bool overdue = false;
    if (q.overdue) {
      for (const auto& d : r.deadlines()) overdue = overdue || IsOverdue(d, today_iso);
    }
    if (Matches(r, q, search_key, overdue)) matched.push_back(Prepare(r));
  }
  page.total = matched.size();
  if (q.offset >= matched.size()) return page;
  const auto less = [&](const Candidate& a, const Candidate& b) {
    return q.descending ? Less(b, a, q.sort) : Less(a, b, q.sort);
  };
  const auto end = matched.begin() +
                   static_cast<std::ptrdiff_t>(std::min(matched.size(), q.offset + page.limit));
  std::partial_sort(matched.begin(), end, matched.end(), less);
  for (auto it = matched.begin() + static_cast<std::ptrdiff_t>(q.offset); it != end; ++it) {
    page.rows.push_back(Summarize(*it->row, today));
  }
  return page;
}

std::optional<CaseSummary> CaseSummaryProjection::Get(const std::string& case_id, Day today) const {
  const int64_t stream = streams_->Find(case_id);
  if (stream < 0 || static_cast<size_t>(stream) >= cases_.size() || !cases_[stream].present)
    return std::nullopt;
  return Summarize(cases_[stream].row, today);
}

std::string CaseSummaryProjection::CooperativeState(const std::string& cooperative_id) const {
  auto it = coops_.find(cooperative_id);
  return it == coops_.end() ? "" : it->second.status.state();
}

}  // namespace piseruma::projections
