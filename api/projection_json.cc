#include "api/projection_json.h"

#include <algorithm>
#include <charconv>

#include "engine/clock.h"

namespace piseruma::api {
namespace {

namespace json = boost::json;
using projections::CountCell;

bool SeesEveryCity(const User& u) { return u.role == "admin" || u.role == "auditor"; }
bool IsStaff(const User& u) {
  return u.role == "caseworker" || u.role == "supervisor" || SeesEveryCity(u);
}

std::string Param(const QueryParams& p, const std::string& name) {
  auto it = p.find(name);
  return it == p.end() ? "" : it->second;
}

Result<uint64_t> Whole(const QueryParams& p, const std::string& name, uint64_t fallback,
                       uint64_t max) {
  const std::string v = Param(p, name);
  if (v.empty()) return fallback;
  uint64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || out > max) {
    return Status::InvalidArgument(name + " must be a whole number from 0 to " +
                                   std::to_string(max));
  }
  return out;
}

Result<std::optional<bool>> Flag(const QueryParams& p, const std::string& name) {
  const std::string v = Param(p, name);
  if (v.empty()) return std::optional<bool>();
  if (v == "true" || v == "1") return std::optional<bool>(true);
  if (v == "false" || v == "0") return std::optional<bool>(false);
  return Status::InvalidArgument(name + " must be true or false");
}

// The cities this user may read, narrowed to ?city= when given.
Result<std::vector<std::string>> Cities(const QueryParams& p, const User& u) {
  const std::string city = Param(p, "city");
  if (SeesEveryCity(u) || u.role == "committee")
    return city.empty() ? std::vector<std::string>{} : std::vector{city};
  if (city.empty()) {
    if (u.cities.empty())
      return Status::PermissionDenied("no city is assigned to you; ask an administrator");
    return u.cities;
  }
  if (std::find(u.cities.begin(), u.cities.end(), city) == u.cities.end()) {
    return Status::PermissionDenied(city + " is not one of your cities");
  }
  return std::vector{city};
}

Status StaffOnly(const User& u, const char* what) {
  if (IsStaff(u)) return Status::Ok();
  if (u.role == "committee") {
    return Status::PermissionDenied(std::string("the steering committee sees aggregates only: ") +
                                    what + " are not shown; use the dashboard");
  }
  return Status::PermissionDenied("the " + u.role + " role may not read " + what);
}

json::value Cell(const CountCell& c, int64_t threshold) {
  if (c.suppressed) return json::value("<" + std::to_string(threshold));
  return json::value(c.value);
}

json::array Cells(const std::vector<CountCell>& cells, int64_t threshold) {
  json::array out;
  for (const auto& c : cells) out.push_back(Cell(c, threshold));
  return out;
}

json::array Strings(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.push_back(json::value(s));
  return out;
}

json::value Optional(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}
json::value Optional(const std::optional<int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object TurnaroundToJson(const projections::Turnaround& t, int64_t threshold) {
  json::object o;
  o["answers"] =
      t.suppressed ? json::value("<" + std::to_string(threshold)) : json::value(t.answers);
  o["median_days"] = Optional(t.median_days);
  o["p90_days"] = Optional(t.p90_days);
  return o;
}

}  // namespace

json::object CaseSummaryToJson(const projections::CaseSummary& c) {
  json::object pathways;
  for (const auto& [pathway, state] : c.pathways) pathways[pathway] = state;
  json::object o{{"case_id", c.case_id},
                 {"participant_code", c.participant_code},
                 {"city", c.city},
                 {"caseworker_id", c.caseworker_id},
                 {"state", c.state},
                 {"pathways", std::move(pathways)},
                 {"overdue", c.overdue},
                 {"overdue_deadlines", c.overdue_deadlines},
                 {"last_activity", engine::FormatRfc3339Micros(c.last_activity_us)},
                 {"registered_on", c.registered_on},
                 {"transfer_pending", c.transfer_pending},
                 {"personal_data_erased", c.personal_data_erased}};
  o["next_due"] =
      c.next_due_on.empty()
          ? json::value(nullptr)
          : json::value(json::object{{"deadline", c.next_due_deadline}, {"due_on", c.next_due_on}});
  o["cooperative_id"] =
      c.cooperative_id.empty() ? json::value(nullptr) : json::value(c.cooperative_id);
  o["outcome"] = c.outcome.empty() ? json::value(nullptr) : json::value(c.outcome);
  o["proposed_outcome"] =
      c.proposed_outcome.empty() ? json::value(nullptr) : json::value(c.proposed_outcome);
  o["unhcr_id"] = c.unhcr_id.empty() ? json::value(nullptr) : json::value(c.unhcr_id);
  return o;
}

json::object CasePageToJson(const projections::CasePage& page) {
  json::array cases;
  for (const auto& c : page.rows) cases.push_back(CaseSummaryToJson(c));
  return {{"total", page.total},
          {"offset", page.offset},
          {"limit", page.limit},
          {"cases", std::move(cases)}};
}

json::array CaseloadToJson(const std::vector<projections::CaseloadRow>& rows) {
  json::array out;
  for (const auto& r : rows) {
    out.push_back(json::object{{"key", r.key},
                               {"active_cases", r.active_cases},
                               {"overdue_deadlines", r.overdue_deadlines},
                               {"due_this_week", r.due_this_week},
                               {"awaiting_anapec", r.awaiting_anapec},
                               {"awaiting_odco", r.awaiting_odco}});
  }
  return out;
}

json::object DashboardToJson(const projections::DashboardView& v) {
  const int64_t t = v.threshold;
  json::object tables;
  for (const auto& table : v.tables) {
    json::array cells;
    for (const auto& row : table.cells) cells.push_back(Cells(row, t));
    tables[table.id] = json::object{{"unit", table.unit},
                                    {"rows", Strings(table.rows)},
                                    {"cols", Strings(table.cols)},
                                    {"cells", std::move(cells)},
                                    {"row_totals", Cells(table.row_totals, t)},
                                    {"col_totals", Cells(table.col_totals, t)},
                                    {"total", Cell(table.total, t)}};
  }
  json::array cumulative;
  for (const auto& [month, c] : v.target.cumulative)
    cumulative.push_back(json::object{{"month", month}, {"self_reliant", Cell(c, t)}});
  json::array sri;
  for (const auto& d : v.sri) {
    sri.push_back(json::object{
        {"domain", d.domain},
        {"cases", d.suppressed ? json::value("<" + std::to_string(t)) : json::value(d.cases)},
        {"baseline_mean", Optional(d.baseline_mean)},
        {"endline_mean", Optional(d.endline_mean)},
        {"change", Optional(d.change)}});
  }
  json::object anapec = TurnaroundToJson(v.anapec_turnaround, t);
  json::array by_month;
  for (const auto& [month, turnaround] : v.anapec_turnaround_by_month) {
    json::object m = TurnaroundToJson(turnaround, t);
    m["month"] = month;
    by_month.push_back(std::move(m));
  }
  anapec["by_month"] = std::move(by_month);
  return {{"position", v.position},
          {"suppressed", v.suppressed},
          {"threshold", v.threshold},
          {"months", Strings(v.months)},
          {"target", json::object{{"start", v.target.start},
                                  {"end", v.target.end},
                                  {"months", v.target.months},
                                  {"target", v.target.target},
                                  {"self_reliant", Cell(v.target.self_reliant, t)},
                                  {"cumulative", std::move(cumulative)}}},
          {"sri", std::move(sri)},
          {"anapec_turnaround_days", std::move(anapec)},
          {"cooperatives", json::object{{"founded", v.cooperatives.founded},
                                        {"registered", v.cooperatives.registered},
                                        {"operating", v.cooperatives.operating}}},
          {"tables", std::move(tables)}};
}

json::object CooperativeToJson(const projections::CooperativeRecord& c, bool with_members) {
  json::array milestones;
  for (const auto& m : c.milestones()) {
    milestones.push_back(
        json::object{{"state", m.state()}, {"event", m.event_type()}, {"on", m.on()}});
  }
  json::object o{{"cooperative_id", c.cooperative_id()},
                 {"name", c.name()},
                 {"city", c.city()},
                 {"activity", c.activity()},
                 {"state", c.state()},
                 {"founded_on", c.founded_on()},
                 {"member_count", c.member_case_ids_size()},
                 {"milestones", std::move(milestones)},
                 {"local_register_number", c.local_register_number()},
                 {"odco_register_number", c.odco_register_number()},
                 {"capital_mad", c.capital_mad()},
                 {"financing_granted_mad", c.financing_granted_mad()},
                 {"accompaniment_sessions", c.accompaniment_sessions()}};
  if (with_members) {
    json::array members;
    for (int i = 0; i < c.member_case_ids_size(); ++i) {
      members.push_back(
          json::object{{"case_id", c.member_case_ids(i)},
                       {"participant_code", i < c.member_codes_size() ? c.member_codes(i) : ""}});
    }
    o["members"] = std::move(members);
  }
  return o;
}

json::object LagToJson(const projections::LagReport& lag) {
  json::array projections;
  for (const auto& p : lag.projections) {
    projections.push_back(json::object{{"name", p.name},
                                       {"version", p.version},
                                       {"checkpoint", p.checkpoint},
                                       {"applied", p.applied},
                                       {"behind", p.behind}});
  }
  json::object o{{"head", lag.head},       {"applied", lag.applied},
                 {"behind", lag.behind},   {"seconds_behind", lag.seconds_behind},
                 {"running", lag.running}, {"projections", std::move(projections)}};
  if (!lag.status.ok()) o["error"] = lag.status.ToString();
  return o;
}

constexpr size_t kMaxSearch = 64;

Result<projections::CaseQuery> ParseCaseQuery(const QueryParams& p, const User& u) {
  PSR_RETURN_IF_ERROR(StaffOnly(u, "cases"));
  projections::CaseQuery q;
  PSR_ASSIGN_OR_RETURN(q.cities, Cities(p, u));
  q.caseworker_id = Param(p, "caseworker") == "me" ? u.user_id : Param(p, "caseworker");
  q.pathway = Param(p, "pathway");
  q.state = Param(p, "state");
  PSR_ASSIGN_OR_RETURN(q.overdue, Flag(p, "overdue"));
  q.search = Param(p, "q");
  const size_t characters = std::count_if(q.search.begin(), q.search.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // UTF-8: not a continuation byte
  });
  if (characters > kMaxSearch)
    return Status::InvalidArgument("q must be at most " + std::to_string(kMaxSearch) +
                                   " characters");
  static const std::map<std::string, projections::Awaiting> kAwaiting = {
      {"", projections::Awaiting::kAny},
      {"plan_review", projections::Awaiting::kPlanReview},
      {"closure_approval", projections::Awaiting::kClosureApproval},
      {"transfer_answer", projections::Awaiting::kTransferAnswer}};
  auto awaiting = kAwaiting.find(Param(p, "awaiting"));
  if (awaiting == kAwaiting.end())
    return Status::InvalidArgument(
        "awaiting must be one of plan_review, closure_approval, "
        "transfer_answer");
  q.awaiting = awaiting->second;
  static const std::map<std::string, projections::CaseSort> kSorts = {
      {"", projections::CaseSort::kNextDue},
      {"next_due", projections::CaseSort::kNextDue},
      {"last_activity", projections::CaseSort::kLastActivity},
      {"participant_code", projections::CaseSort::kParticipantCode},
      {"city", projections::CaseSort::kCity},
      {"caseworker", projections::CaseSort::kCaseworker},
      {"state", projections::CaseSort::kState}};
  auto sort = kSorts.find(Param(p, "sort"));
  if (sort == kSorts.end()) {
    return Status::InvalidArgument(
        "sort must be one of next_due, last_activity, participant_code, city, caseworker, state");
  }
  q.sort = sort->second;
  const std::string order = Param(p, "order");
  if (!order.empty() && order != "asc" && order != "desc")
    return Status::InvalidArgument("order must be asc or desc");
  q.descending = order == "desc";
  PSR_ASSIGN_OR_RETURN(q.offset, Whole(p, "offset", 0, 1'000'000'000));
  PSR_ASSIGN_OR_RETURN(q.limit, Whole(p, "limit", 50, projections::kMaxCasePage));
  return q;
}

Result<projections::CaseloadQuery> ParseCaseloadQuery(const QueryParams& p, const User& u) {
  PSR_RETURN_IF_ERROR(StaffOnly(u, "caseloads"));
  projections::CaseloadQuery q;
  const std::string group = Param(p, "group_by");
  if (group == "" || group == "caseworker") {
    q.group = projections::CaseloadGroup::kCaseworker;
  } else if (group == "city") {
    q.group = projections::CaseloadGroup::kCity;
  } else {
    return Status::InvalidArgument("group_by must be caseworker or city");
  }
  PSR_ASSIGN_OR_RETURN(q.cities, Cities(p, u));
  q.caseworker_id = Param(p, "caseworker") == "me" ? u.user_id : Param(p, "caseworker");
  return q;
}

Result<projections::DashboardQuery> ParseDashboardQuery(const QueryParams& p, const User& u,
                                                        int64_t programme_threshold) {
  if (!IsStaff(u) && u.role != "committee")
    return Status::PermissionDenied("the " + u.role + " role may not read the dashboard");
  projections::DashboardQuery q;
  PSR_ASSIGN_OR_RETURN(auto suppress, Flag(p, "suppress"));
  q.suppress = u.role == "committee" || suppress.value_or(false);
  if (u.role == "committee" && suppress == false) {
    return Status::PermissionDenied("the steering committee's dashboard is always suppressed");
  }
  PSR_ASSIGN_OR_RETURN(uint64_t threshold,
                       Whole(p, "threshold", static_cast<uint64_t>(programme_threshold), 1000));
  if (u.role == "committee" && static_cast<int64_t>(threshold) < programme_threshold) {
    return Status::PermissionDenied("the committee's threshold cannot be below the programme's (" +
                                    std::to_string(programme_threshold) + ")");
  }
  q.threshold = static_cast<int64_t>(threshold);
  return q;
}

Result<projections::CooperativeQuery> ParseCooperativeQuery(const QueryParams& p, const User& u) {
  if (!IsStaff(u) && u.role != "committee")
    return Status::PermissionDenied("the " + u.role + " role may not read cooperatives");
  projections::CooperativeQuery q;
  PSR_ASSIGN_OR_RETURN(q.cities, Cities(p, u));
  q.state = Param(p, "state");
  return q;
}

Result<std::unique_ptr<ProjectionReadModels>> ProjectionReadModels::Open(
    const std::string& data_dir, const engine::EventLog* log,
    std::shared_ptr<const workflows::WorkflowRegistry> registry, engine::Clock* clock) {
  PSR_ASSIGN_OR_RETURN(
      auto runtime, projections::ProjectionRuntime::Open(
                        {.data_dir = data_dir, .log = log, .registry = registry, .clock = clock}));
  PSR_RETURN_IF_ERROR(runtime->Start());
  return std::make_unique<ProjectionReadModels>(std::move(runtime), std::move(registry), clock);
}

ProjectionReadModels::ProjectionReadModels(
    std::unique_ptr<projections::ProjectionRuntime> runtime,
    std::shared_ptr<const workflows::WorkflowRegistry> registry, engine::Clock* clock)
    : runtime_(std::move(runtime)), registry_(std::move(registry)), clock_(clock) {}

uint64_t ProjectionReadModels::Position() const { return runtime_->AppliedPosition() + 1; }

bool ProjectionReadModels::WaitForPosition(uint64_t position, std::chrono::milliseconds timeout) {
  return runtime_->WaitForPosition(position, timeout);
}

workflows::Day ProjectionReadModels::Today() const {
  return workflows::DayInMorocco(clock_->NowMicros());
}

Result<json::value> ProjectionReadModels::Cases(const QueryParams& p, const User& u) {
  PSR_ASSIGN_OR_RETURN(auto q, ParseCaseQuery(p, u));
  json::object o = CasePageToJson(runtime_->QueryCases(q, Today()));
  return json::value(std::move(o));
}

Result<json::value> ProjectionReadModels::Caseloads(const QueryParams& p, const User& u) {
  PSR_ASSIGN_OR_RETURN(auto q, ParseCaseloadQuery(p, u));
  return json::value(json::object{
      {"group_by", q.group == projections::CaseloadGroup::kCity ? "city" : "caseworker"},
      {"rows", CaseloadToJson(runtime_->QueryCaseload(q, Today()))}});
}

Result<json::value> ProjectionReadModels::Dashboard(const QueryParams& p, const User& u) {
  const int64_t programme = std::max<int64_t>(1, registry_->params().small_cell_threshold());
  PSR_ASSIGN_OR_RETURN(auto q, ParseDashboardQuery(p, u, programme));
  return json::value(DashboardToJson(runtime_->QueryDashboard(q)));
}

Result<json::value> ProjectionReadModels::Cooperatives(const QueryParams& p, const User& u) {
  PSR_ASSIGN_OR_RETURN(auto q, ParseCooperativeQuery(p, u));
  json::array out;
  for (const auto& c : runtime_->QueryCooperatives(q))
    out.push_back(CooperativeToJson(c, u.role != "committee"));
  return json::value(json::object{{"cooperatives", std::move(out)}});
}

}  // namespace piseruma::api
