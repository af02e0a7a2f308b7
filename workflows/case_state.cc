#include "workflows/case_state.h"

#include "workflows/dates.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::workflows {
namespace {

template <typename T>
bool Unpack(const DomainEvent& e, T* out) {
  return e.data().Is<T>() && e.data().UnpackTo(out);
}

void SetConsent(CaseFacts* f, const std::string& purpose, const std::string& recipient, bool given,
                const std::string& on) {
  for (auto& c : *f->mutable_consents()) {
    if (c.purpose() == purpose && c.recipient() == recipient) {
      c.set_given(given);
      c.set_on(on);
      return;
    }
  }
  ConsentRecord* c = f->add_consents();
  c->set_purpose(purpose);
  c->set_recipient(recipient);
  c->set_given(given);
  c->set_on(on);
}

void ApplyCaseFacts(StreamState* s, const DomainEvent& e) {
  CaseFacts* f = s->mutable_case_facts();
  if (RegisterParticipant m; Unpack(e, &m)) {
    f->set_participant_code(m.participant_code());
    f->set_unhcr_id(m.unhcr_id());
    f->set_sex(m.sex());
    f->set_age_group(m.age_group());
    f->set_nationality(m.nationality());
    f->set_city(m.city());
    f->set_caseworker_id(m.caseworker_id());
    f->set_has_disability(m.with_disability());
    *f->mutable_specific_needs() = m.specific_needs();
    f->set_household_size(m.household_size());
    f->set_education_level(m.education_level());
    f->set_registered_on(m.registered_on());
  } else if (RecordConsent m; Unpack(e, &m)) {
    SetConsent(f, m.purpose(), m.recipient(), true, m.given_on());
  } else if (WithdrawConsent m; Unpack(e, &m)) {
    SetConsent(f, m.purpose(), m.recipient(), false, m.withdrawn_on());
  } else if (RecordAssessment m; Unpack(e, &m)) {
    SriAssessment* a = f->add_assessments();
    a->set_kind(m.kind());
    a->set_assessed_on(m.assessed_on());
    const auto* d = RecordAssessment::descriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const auto* field = d->field(i);
      if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_UINT32) {
        (*a->mutable_scores())[field->name()] = m.GetReflection()->GetUInt32(m, field);
      }
    }
  } else if (RequestTransfer m; Unpack(e, &m)) {
    PendingTransfer* t = f->mutable_pending_transfer();
    t->set_to_caseworker_id(m.to_caseworker_id());
    t->set_to_city(m.to_city());
  } else if (AcceptTransfer m; Unpack(e, &m)) {
    f->set_caseworker_id(f->pending_transfer().to_caseworker_id());
    f->set_city(f->pending_transfer().to_city());
    f->clear_pending_transfer();
  } else if (DeclineTransfer m; Unpack(e, &m)) {
    f->clear_pending_transfer();
  } else if (ProposeClosure m; Unpack(e, &m)) {
    f->set_proposed_outcome(m.outcome());
    f->set_closed_on(m.closed_on());
  } else if (RejectClosure m; Unpack(e, &m)) {
    f->clear_proposed_outcome();
    f->clear_closed_on();
  } else if (ApproveClosure m; Unpack(e, &m)) {
    f->set_outcome(f->proposed_outcome());
    f->clear_proposed_outcome();
  } else if (ReopenCase m; Unpack(e, &m)) {
    f->clear_outcome();
    f->clear_closed_on();
    f->set_reopen_count(f->reopen_count() + 1);
  } else if (JoinCooperative m; Unpack(e, &m)) {
    f->set_cooperative_id(m.cooperative_id());
  } else if (ReviewBusinessPlan m; Unpack(e, &m)) {
    f->set_business_plan_decision(m.decision());
  } else if (RecordPlacement m; Unpack(e, &m)) {
    *f->mutable_tahfiz() = m.tahfiz();
  } else if (RecordFinancing m; Unpack(e, &m)) {
    if (m.decision() == "granted") f->set_financing_mad(f->financing_mad() + m.amount_mad());
  } else if (ErasePersonalData m; Unpack(e, &m)) {
    f->set_personal_data_erased(true);
    f->clear_unhcr_id();  // not a sealed field, but it names the person: forgotten with them
  }
}

void ApplyCooperativeFacts(StreamState* s, const DomainEvent& e) {
  CooperativeFacts* c = s->mutable_cooperative();
  if (FoundCooperative m; Unpack(e, &m)) {
    c->set_name(m.proposed_name());
    c->set_city(m.city());
    c->set_activity(m.activity());
    *c->mutable_member_case_ids() = m.member_case_ids();
    c->set_founded_on(m.founded_on());
  } else if (RecordNameApproval m; Unpack(e, &m)) {
    c->set_name(m.approved_name());
  } else if (RecordCapitalPaid m; Unpack(e, &m)) {
    c->set_capital_mad(m.capital_mad());
  } else if (RegisterCooperative m; Unpack(e, &m)) {
    c->set_local_register_number(m.local_register_number());
    c->set_odco_register_number(m.odco_register_number());
  }
}

void ApplyMachine(StreamState* s, const MachineChange& c, const std::string& on) {
  MachineInstance& m = (*s->mutable_machines())[c.machine()];
  m.set_definition_version(c.definition_version());
  m.set_state(c.to_state());
  m.set_entered_on(on);
}

}  // namespace

void EvolveDecoded(StreamState* s, const engine::Envelope& env, const DomainEvent& e) {
  if (s->version() == 0) {
    s->set_stream_id(env.stream_id());
    s->set_created_at_us(env.recorded_at_us());
  }
  s->set_version(env.stream_version());
  s->set_last_position(env.position());
  s->set_last_recorded_at_us(env.recorded_at_us());
  const std::string on = FormatDate(DayInMorocco(env.recorded_at_us()));

  for (const auto& opened : e.opened()) ApplyMachine(s, opened, on);
  if (e.has_transition() && e.transition().from_state() != e.transition().to_state()) {
    ApplyMachine(s, e.transition(), on);
  } else if (e.has_transition()) {
    (*s->mutable_machines())[e.transition().machine()].set_definition_version(
        e.transition().definition_version());
  }

  auto* deadlines = s->mutable_deadlines();
  for (const auto& met : e.deadlines_met()) {
    for (int i = deadlines->size() - 1; i >= 0; --i) {
      if (deadlines->Get(i).name() == met) deadlines->DeleteSubrange(i, 1);
    }
  }
  for (const auto& started : e.deadlines_started()) {
    OpenDeadline d;
    d.set_name(started.name());
    d.set_machine(started.machine());
    d.set_due_on(started.due_on());
    bool replaced = false;
    for (auto& existing : *deadlines) {
      if (existing.name() == d.name()) {
        existing = d;
        replaced = true;
      }
    }
    if (!replaced) *deadlines->Add() = d;
  }
  if (MarkDeadlineOverdue m; Unpack(e, &m)) {
    for (auto& d : *deadlines) {
      if (d.name() == m.deadline()) d.set_overdue(true);
    }
  }
  if (env.stream_id().rfind("coop-", 0) == 0) {
    ApplyCooperativeFacts(s, e);
  } else {
    ApplyCaseFacts(s, e);
  }
}

Status Evolve(StreamState* state, const engine::Envelope& env) {
  if (env.stream_version() != state->version() + 1) {
    return Status::DataLoss("stream " + env.stream_id() + ": event version " +
                            std::to_string(env.stream_version()) + " does not follow " +
                            std::to_string(state->version()));
  }
  DomainEvent e;
  if (!e.ParseFromString(env.payload())) {
    return Status::DataLoss("event at position " + std::to_string(env.position()) +
                            " is not a domain event");
  }
  EvolveDecoded(state, env, e);
  return Status::Ok();
}

Status Fold(StreamState* state, const std::vector<engine::RecordedEvent>& events) {
  for (const auto& ev : events) PSR_RETURN_IF_ERROR(Evolve(state, ev.envelope));
  return Status::Ok();
}

}  // namespace piseruma::workflows
