// Rows (see store.cc): 'o' cooperative_id -> CooperativeRecord, 'm' case_id -> participant code.
#include "projections/cooperative_registry.h"

#include <algorithm>

#include "workflows/proto/commands.pb.h"

namespace piseruma::projections {

using namespace workflows;  // the command messages

void CooperativeRegistry::Clear() {
  coops_.clear();
  codes_.clear();
  dirty_coops_.clear();
  new_codes_.clear();
}

Status CooperativeRegistry::LoadRow(std::string_view key, std::string_view value) {
  if (key.size() < 2) return Status::DataLoss("cooperatives: a row key is damaged");
  const std::string id(key.substr(1));
  if (key[0] == 'm') {
    const uint32_t stream = streams_->Intern(id);
    if (stream >= codes_.size()) codes_.resize(stream + 1);
    codes_[stream] = std::string(value);
    return Status::Ok();
  }
  if (key[0] == 'o' &&
      coops_[id].record.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return Status::Ok();
  }
  return Status::DataLoss("cooperatives: the row of " + id + " is damaged; rebuild the projection");
}

void CooperativeRegistry::Apply(const ProjectionEvent& e) {
  if (e.kind == StreamKind::kCase) {
    if (const auto* m = e.As<RegisterParticipant>()) {
      if (e.stream >= codes_.size()) codes_.resize(e.stream + 1);
      codes_[e.stream] = m->participant_code();
      new_codes_.push_back(e.stream);
    }
    return;
  }
  auto [it, inserted] = coops_.try_emplace(e.stream_id());
  CooperativeRecord& c = it->second.record;
  if (inserted) c.set_cooperative_id(e.stream_id());
  c.set_last_activity_us(e.envelope->recorded_at_us());
  if (const auto* m = e.As<FoundCooperative>()) {
    c.set_name(m->proposed_name());
    c.set_city(m->city());
    c.set_activity(m->activity());
    c.set_founded_on(m->founded_on());
    c.clear_member_case_ids();
    c.clear_member_codes();
    for (const auto& member : m->member_case_ids()) {
      if (std::find(c.member_case_ids().begin(), c.member_case_ids().end(), member) !=
          c.member_case_ids().end())
        continue;
      c.add_member_case_ids(member);
      const int64_t stream = streams_->Find(member);
      c.add_member_codes(stream >= 0 && static_cast<size_t>(stream) < codes_.size() ? codes_[stream]
                                                                                    : "");
    }
  } else if (const auto* m = e.As<RecordNameApproval>()) {
    c.set_name(m->approved_name());
  } else if (const auto* m = e.As<RecordCapitalPaid>()) {
    c.set_capital_mad(m->capital_mad());
  } else if (const auto* m = e.As<RegisterCooperative>()) {
    c.set_local_register_number(m->local_register_number());
    c.set_odco_register_number(m->odco_register_number());
  } else if (const auto* m = e.As<RecordCooperativeFinancing>(); m && m->decision() == "granted") {
    c.set_financing_granted_mad(c.financing_granted_mad() + m->amount_mad());
  } else if (e.As<RecordOdcoAccompaniment>()) {
    c.set_accompaniment_sessions(c.accompaniment_sessions() + 1);
  }
  ForEachStateChange(*e.header, [&](const std::string& machine, const std::string& to) {
    if (machine != "cooperative") return;
    c.set_state(to);
    CooperativeMilestone* milestone = c.add_milestones();
    milestone->set_state(to);
    milestone->set_event_type(e.envelope->event_type());
    milestone->set_on(FormatDate(e.day));
  });
  if (!it->second.dirty) {
    it->second.dirty = true;
    dirty_coops_.push_back(&it->first);
  }
}

void CooperativeRegistry::WriteChanges(RowWriter* out) {
  for (uint32_t stream : new_codes_) out->Put('m', streams_->Name(stream), codes_[stream]);
  std::string value;
  for (const std::string* id : dirty_coops_) {
    Entry& entry = coops_.at(*id);
    entry.record.SerializeToString(&value);
    out->Put('o', *id, value);
    entry.dirty = false;
  }
  new_codes_.clear();
  dirty_coops_.clear();
}

std::vector<CooperativeRecord> CooperativeRegistry::List(const CooperativeQuery& q) const {
  std::vector<CooperativeRecord> out;
  for (const auto& [id, entry] : coops_) {
    const CooperativeRecord& c = entry.record;
    if (!q.cities.empty() &&
        std::find(q.cities.begin(), q.cities.end(), c.city()) == q.cities.end())
      continue;
    if (!q.state.empty() && c.state() != q.state) continue;
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const CooperativeRecord& a, const CooperativeRecord& b) {
    return std::tie(a.city(), a.name(), a.cooperative_id()) <
           std::tie(b.city(), b.name(), b.cooperative_id());
  });
  return out;
}

std::optional<CooperativeRecord> CooperativeRegistry::Get(const std::string& cooperative_id) const {
  auto it = coops_.find(cooperative_id);
  if (it == coops_.end()) return std::nullopt;
  return it->second.record;
}

}  // namespace piseruma::projections
