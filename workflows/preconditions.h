// Named preconditions a definition's transitions can require (`preconditions { name: … }`).
// Each returns the violations it finds, in words a caseworker understands; none means it
// holds. Field rules (required, min, …) are checked separately (guards.h).
//
//   consent_given(purpose, recipient)      that consent is recorded and not withdrawn
//   consent_given_field(pf, rf)            the consent named by the command's fields is given
//   microcredit_consent                    a micro-credit needs the MFI consent
//   adult_on(birth_field, on_field)        18 or older on that date
//   date_not_before(a_field, b_field)      a is on or after b
//   assessment_not_recorded(kind_field)    that SRI assessment is not recorded yet
//   endline_for_outcome                    closing as (partly) self-reliant / not yet needs an endline SRI
//   pathway_not_open(field)                the pathway is not already open on the case
//   no_pending_transfer, transfer_pending, actor_receives_transfer
//   no_closure_proposed, closure_proposed
//   turnover_within_ae_ceiling             expected turnover within the auto-entrepreneur ceiling
//   enough_members                         at least cooperative_min_members distinct members
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "workflows/decision.h"

namespace piseruma::workflows {

bool HasPrecondition(const std::string& name);
// Whether it reads the command's fields (guidance shows only those that do not).
bool PreconditionReadsCommand(const std::string& name);
// REQUIRES: HasPrecondition(p.name()).
std::vector<FieldViolation> CheckPrecondition(const DecisionContext& ctx, const Precondition& p);

// Whether the case has that consent given and not withdrawn.
bool HasConsent(const StreamState& state, const std::string& purpose, const std::string& recipient);

}  // namespace piseruma::workflows
