// Rows (see store.cc): 'p' case_id -> DashCase, 'q' cooperative_id -> DashCooperative,
// 't' table 0x00 row 0x00 col -> count (tally.cc).
#include "projections/dashboard.h"

#include <cmath>
#include <cstdio>

#include "workflows/proto/commands.pb.h"

namespace piseruma::projections {
namespace {

using namespace workflows;  // the command messages

std::string Or(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

int64_t Centimes(double mad) { return static_cast<int64_t>(std::llround(mad * 100.0)); }

std::string Days4(int64_t days) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(days));
  return buf;
}

Day DateOr(const std::string& iso, Day fallback) { return ParseDate(iso).value_or(fallback); }

// RecordAssessment's score fields, in order.
const std::vector<const google::protobuf::FieldDescriptor*>& SriFields() {
  static const auto* fields = [] {
    auto* out = new std::vector<const google::protobuf::FieldDescriptor*>;
    const auto* d = RecordAssessment::descriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      if (d->field(i)->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_UINT32)
        out->push_back(d->field(i));
    }
    return out;
  }();
  return *fields;
}

}  // namespace

const std::vector<std::string>& SriDomains() {
  static const auto* domains = [] {
    auto* out = new std::vector<std::string>;
    for (const auto* f : SriFields()) out->push_back(f->name());
    return out;
  }();
  return *domains;
}

DashboardProjection::DashboardProjection(StreamIndex* streams) : streams_(streams) {
  book_.Intern("");  // label 0: none
  for (size_t d = 0; d < kDims; ++d) {
    outcomes_by_dim_[d] = book_.Table("outcomes." + std::string(kDimensions[d]));
    placements_by_dim_[d] = book_.Table("placements." + std::string(kDimensions[d]));
  }
  outcomes_month_ = book_.Table("outcomes.month");
  sri_ = book_.Table("sri");
  placements_month_ = book_.Table("placements.month");
  anapec_turnaround_ = book_.Table("anapec.turnaround");
  anapec_answers_ = book_.Table("anapec.answers");
  financing_count_ = book_.Table("financing.count");
  financing_mad_ = book_.Table("financing.mad_centimes");
  dropouts_month_ = book_.Table("training_dropouts.month");
  coops_now_ = book_.Table("cooperatives.now");
  coops_entered_ = book_.Table("entered.cooperative");
  n_ = book_.Intern("n");
  baseline_sum_ = book_.Intern("baseline_sum");
  endline_sum_ = book_.Intern("endline_sum");
  tahfiz_ = book_.Intern("tahfiz_eligible");
  not_tahfiz_ = book_.Intern("not_tahfiz_eligible");
  confirmed_ = book_.Intern("confirmed");
  refused_ = book_.Intern("refused");
  for (size_t i = 0; i < kSri; ++i) sri_labels_[i] = book_.Intern(SriDomains()[i]);
  for (const char* w : {"case", "employment", "microproject", "training", "cooperative_membership"})
    WorkflowIndex(w);
}

uint32_t DashboardProjection::WorkflowIndex(const std::string& name) {
  auto it = workflow_index_.find(name);
  if (it != workflow_index_.end()) return it->second;
  Workflow w;
  w.name = name;
  for (size_t d = 0; d < kDims; ++d)
    w.funnel[d] = book_.Table("funnel." + name + "." + std::string(kDimensions[d]));
  w.entered = book_.Table("entered." + name);
  workflows_.push_back(std::move(w));
  workflow_index_.emplace(name, static_cast<uint32_t>(workflows_.size() - 1));
  return static_cast<uint32_t>(workflows_.size() - 1);
}

std::array<TallyBook::Label, DashboardProjection::kDims> DashboardProjection::Dims(
    const std::string& sex, const std::string& age_group, const std::string& nationality,
    bool disability, bool specific_needs, const std::string& city) {
  return {book_.Intern(Or(sex, "not_stated")),         book_.Intern(Or(age_group, "unknown")),
          book_.Intern(Or(nationality, "unknown")),    book_.Intern(disability ? "yes" : "no"),
          book_.Intern(specific_needs ? "yes" : "no"), book_.Intern(Or(city, "unknown"))};
}

DashboardProjection::Person& DashboardProjection::PersonAt(uint32_t stream) {
  if (stream >= cases_.size()) cases_.resize(stream + 1);
  Person& p = cases_[stream];
  if (!p.present) {
    p.present = true;
    p.dims = Dims("", "", "", false, false, "");
    ++case_count_;
  }
  return p;
}

TallyBook::Label DashboardProjection::Month(const std::string& month) {
  if (month != month_) {
    month_ = month;
    month_label_ = book_.Intern(month);
  }
  return month_label_;
}

void DashboardProjection::Clear() {
  book_.Clear();
  cases_.clear();
  case_count_ = 0;
  coops_.clear();
  dirty_cases_.clear();
  dirty_coops_.clear();
}

void DashboardProjection::ContributeOutcome(const Person& p, int sign) {
  if (p.outcome == 0) return;
  book_.Add(outcomes_month_, p.outcome, p.closed_month, sign);
  for (size_t d = 0; d < kDims; ++d) book_.Add(outcomes_by_dim_[d], p.outcome, p.dims[d], sign);
}

void DashboardProjection::ContributeAll(const Person& p, int sign) {
  for (const auto& [w, state] : p.machines) {
    for (size_t d = 0; d < kDims; ++d) book_.Add(workflows_[w].funnel[d], state, p.dims[d], sign);
  }
  ContributeOutcome(p, sign);
}

void DashboardProjection::ContributeSri(const Person& p, int sign) {
  if (!p.has_baseline || !p.has_endline) return;
  for (size_t i = 0; i < kSri; ++i) {
    if (p.baseline[i] == 0 || p.endline[i] == 0) continue;  // not applicable at either end
    book_.Add(sri_, sri_labels_[i], n_, sign);
    book_.Add(sri_, sri_labels_[i], baseline_sum_, sign * static_cast<int64_t>(p.baseline[i]));
    book_.Add(sri_, sri_labels_[i], endline_sum_, sign * static_cast<int64_t>(p.endline[i]));
  }
}

void DashboardProjection::MoveWorkflow(Person& p, uint32_t w, Label to, Label month) {
  const Workflow& wf = workflows_[w];
  auto it = std::find_if(p.machines.begin(), p.machines.end(),
                         [&](const auto& m) { return m.first == w; });
  if (it == p.machines.end()) {
    p.machines.emplace_back(w, to);
    for (size_t d = 0; d < kDims; ++d) book_.Add(wf.funnel[d], to, p.dims[d], +1);
  } else {
    for (size_t d = 0; d < kDims; ++d) {
      book_.Add(wf.funnel[d], it->second, p.dims[d], -1);
      book_.Add(wf.funnel[d], to, p.dims[d], +1);
    }
    it->second = to;
  }
  book_.Add(wf.entered, to, month, +1);
}

void DashboardProjection::Apply(const ProjectionEvent& e) {
  if (e.kind == StreamKind::kCooperative) {
    ApplyCooperative(e);
  } else {
    ApplyCase(e);
  }
}

void DashboardProjection::ApplyCooperative(const ProjectionEvent& e) {
  auto [it, inserted] = coops_.try_emplace(e.stream_id());
  Cooperative& c = it->second;
  if (const auto* m = e.As<FoundCooperative>()) {
    if (c.state != 0) book_.Add(coops_now_, c.state, c.city, -1);
    c.city = book_.Intern(Or(m->city(), "unknown"));
    if (c.state != 0) book_.Add(coops_now_, c.state, c.city, +1);
  }
  const Label month = Month(e.month);
  ForEachStateChange(*e.header, [&](const std::string& machine, const std::string& to) {
    if (machine != "cooperative") return;
    const Label state = book_.Intern(to);
    if (c.state != 0) book_.Add(coops_now_, c.state, c.city, -1);
    book_.Add(coops_now_, state, c.city, +1);
    book_.Add(coops_entered_, state, month, +1);
    c.state = state;
  });
  if (const auto* m = e.As<RecordCooperativeFinancing>(); m && m->decision() == "granted") {
    const Label kind = book_.Intern("cooperative." + m->kind());
    book_.Add(financing_count_, kind, month, +1);
    book_.Add(financing_mad_, kind, month, Centimes(m->amount_mad()));
  }
  if (!c.dirty) {
    c.dirty = true;
    dirty_coops_.push_back(&it->first);
  }
}

void DashboardProjection::ApplyCase(const ProjectionEvent& e) {
  Person& p = PersonAt(e.stream);
  if (const auto* m = e.As<RegisterParticipant>()) {
    ContributeAll(p, -1);
    p.dims = Dims(m->sex(), m->age_group(), m->nationality(), m->with_disability(),
                  m->specific_needs_size() > 0, m->city());
    ContributeAll(p, +1);
  }
  const Label month = Month(e.month);
  ForEachStateChange(*e.header, [&](const std::string& machine, const std::string& to) {
    MoveWorkflow(p, WorkflowIndex(machine), book_.Intern(to), month);
  });
  ApplyFlows(p, e);
  if (!p.dirty) {
    p.dirty = true;
    dirty_cases_.push_back(e.stream);
  }
}

void DashboardProjection::ApplyFlows(Person& p, const ProjectionEvent& e) {
  const Label month = Month(e.month);
  if (const auto* m = e.As<RequestTransfer>()) {
    p.transfer_to_city = book_.Intern(m->to_city());
  } else if (e.As<DeclineTransfer>()) {
    p.transfer_to_city = 0;
  } else if (e.As<AcceptTransfer>()) {
    ContributeAll(p, -1);
    p.dims[5] = p.transfer_to_city != 0 ? p.transfer_to_city : book_.Intern("unknown");
    p.transfer_to_city = 0;
    ContributeAll(p, +1);
  } else if (const auto* m = e.As<ProposeClosure>()) {
    p.proposed_outcome = book_.Intern(m->outcome());
  } else if (e.As<RejectClosure>()) {
    p.proposed_outcome = 0;
  } else if (e.As<ApproveClosure>()) {
    ContributeOutcome(p, -1);
    p.outcome = p.proposed_outcome;
    p.closed_month = month;
    p.proposed_outcome = 0;
    ContributeOutcome(p, +1);
  } else if (e.As<ReopenCase>()) {
    ContributeOutcome(p, -1);
    p.outcome = 0;
    p.closed_month = 0;
  } else if (const auto* m = e.As<RecordAssessment>()) {
    if (m->kind() == "baseline" || m->kind() == "endline") {
      ContributeSri(p, -1);
      const auto* r = m->GetReflection();
      auto& scores = m->kind() == "baseline" ? p.baseline : p.endline;
      for (size_t i = 0; i < kSri; ++i) scores[i] = r->GetUInt32(*m, SriFields()[i]);
      (m->kind() == "baseline" ? p.has_baseline : p.has_endline) = true;
      ContributeSri(p, +1);
    }
  } else if (const auto* m = e.As<SendAnapecReferral>()) {
    p.anapec_sent_day = DateOr(m->sent_on(), e.day);
  } else if (e.As<ConfirmAnapecRegistration>() || e.As<RecordAnapecRefusal>()) {
    const auto* confirmed = e.As<ConfirmAnapecRegistration>();
    const Day answered = confirmed ? DateOr(confirmed->confirmed_on(), e.day)
                                   : DateOr(e.As<RecordAnapecRefusal>()->refused_on(), e.day);
    if (p.anapec_sent_day >= 0) {
      book_.Add(anapec_turnaround_, month,
                book_.Intern(Days4(std::max<Day>(0, answered - p.anapec_sent_day))), +1);
    }
    book_.Add(anapec_answers_, confirmed ? confirmed_ : refused_, month, +1);
    p.anapec_sent_day = -1;
  } else if (const auto* m = e.As<RecordPlacement>()) {
    const Label row = m->tahfiz().eligible() ? tahfiz_ : not_tahfiz_;
    book_.Add(placements_month_, row, month, +1);
    for (size_t d = 0; d < kDims; ++d) book_.Add(placements_by_dim_[d], row, p.dims[d], +1);
  } else if (const auto* m = e.As<RecordFinancing>(); m && m->decision() == "granted") {
    const Label kind = book_.Intern("microproject." + m->kind());
    book_.Add(financing_count_, kind, month, +1);
    book_.Add(financing_mad_, kind, month, Centimes(m->amount_mad()));
  } else if (const auto* m = e.As<RecordTrainingDropout>()) {
    book_.Add(dropouts_month_, book_.Intern(Or(m->reason(), "unknown")), month, +1);
  }
}

DashCase DashboardProjection::ToRow(const Person& p) const {
  DashCase row;
  row.set_sex(book_.Name(p.dims[0]));
  row.set_age_group(book_.Name(p.dims[1]));
  row.set_nationality(book_.Name(p.dims[2]));
  row.set_disability(book_.Name(p.dims[3]) == "yes");
  row.set_specific_needs(book_.Name(p.dims[4]) == "yes");
  row.set_city(book_.Name(p.dims[5]));
  for (const auto& [w, state] : p.machines)
    (*row.mutable_machines())[workflows_[w].name] = book_.Name(state);
  row.set_proposed_outcome(book_.Name(p.proposed_outcome));
  row.set_outcome(book_.Name(p.outcome));
  row.set_closed_month(book_.Name(p.closed_month));
  if (p.has_baseline) *row.mutable_baseline() = {p.baseline.begin(), p.baseline.end()};
  if (p.has_endline) *row.mutable_endline() = {p.endline.begin(), p.endline.end()};
  row.set_anapec_sent_day(p.anapec_sent_day);
  row.set_transfer_to_city(book_.Name(p.transfer_to_city));
  return row;
}

DashboardProjection::Person DashboardProjection::FromRow(const DashCase& row) {
  Person p;
  p.dims = Dims(row.sex(), row.age_group(), row.nationality(), row.disability(),
                row.specific_needs(), row.city());
  for (const auto& [machine, state] : row.machines())
    p.machines.emplace_back(WorkflowIndex(machine), book_.Intern(state));
  std::sort(p.machines.begin(), p.machines.end());
  p.proposed_outcome = book_.Intern(row.proposed_outcome());
  p.outcome = book_.Intern(row.outcome());
  p.closed_month = book_.Intern(row.closed_month());
  p.has_baseline = row.baseline_size() == static_cast<int>(kSri);
  p.has_endline = row.endline_size() == static_cast<int>(kSri);
  for (size_t i = 0; i < kSri && p.has_baseline; ++i)
    p.baseline[i] = row.baseline(static_cast<int>(i));
  for (size_t i = 0; i < kSri && p.has_endline; ++i)
    p.endline[i] = row.endline(static_cast<int>(i));
  p.anapec_sent_day = row.anapec_sent_day();
  p.transfer_to_city = book_.Intern(row.transfer_to_city());
  return p;
}

Status DashboardProjection::LoadRow(std::string_view key, std::string_view value) {
  if (key.size() < 2) return Status::DataLoss("dashboard: a row key is damaged");
  const std::string id(key.substr(1));
  switch (key[0]) {
    case 't':
      return book_.LoadCell(key.substr(1), value);
    case 'p': {
      DashCase row;
      if (!row.ParseFromArray(value.data(), static_cast<int>(value.size()))) break;
      Person& p = PersonAt(streams_->Intern(id));
      p = FromRow(row);
      p.present = true;
      return Status::Ok();
    }
    case 'q': {
      DashCooperative row;
      if (!row.ParseFromArray(value.data(), static_cast<int>(value.size()))) break;
      coops_[id] = {book_.Intern(row.state()), book_.Intern(row.city()), false};
      return Status::Ok();
    }
  }
  return Status::DataLoss("dashboard: the row of " + id + " is damaged; rebuild the projection");
}

void DashboardProjection::WriteChanges(RowWriter* out) {
  std::string value;
  for (uint32_t stream : dirty_cases_) {
    Person& p = cases_[stream];
    ToRow(p).SerializeToString(&value);
    out->Put('p', streams_->Name(stream), value);
    p.dirty = false;
  }
  for (const std::string* id : dirty_coops_) {
    Cooperative& c = coops_.at(*id);
    DashCooperative row;
    row.set_state(book_.Name(c.state));
    row.set_city(book_.Name(c.city));
    out->Put('q', *id, row.SerializeAsString());
    c.dirty = false;
  }
  dirty_cases_.clear();
  dirty_coops_.clear();
  book_.WriteChanges('t', out);
}

}  // namespace piseruma::projections
