// TAHFIZ eligibility (ANAPEC's employment incentive), computed at placement and stored
// with the reason of each condition, in French and English.
//
// Conditions (programme parameters in programme.textproto):
//   employer_created_in_window  the employer was created within [window start, window end]
//   permanent_contract          the hire is on a permanent contract (CDI)
//   hired_within_window         the start date is within N months (24) of the employer's creation
//   employer_quota              the employer has made fewer than the maximum (10) TAHFIZ hires
// Eligible when all pass. Benefit: income tax exempt on the gross wage up to the cap
// (10,000 MAD/month) for 24 months, employer CNSS contribution paid by the state.
//
// Thread-safety: pure function.
//
//   TahfizAssessment a = AssessTahfiz(placement, params);
//   if (!a.eligible()) for (auto& c : a.conditions()) if (!c.passed()) show(c.explanation_fr());
#pragma once

#include "workflows/proto/commands.pb.h"
#include "workflows/proto/programme.pb.h"

namespace piseruma::workflows {

// REQUIRES: the placement's dates are valid ISO dates (the definition's rules check them).
TahfizAssessment AssessTahfiz(const RecordPlacement& placement, const ProgrammeParameters& params);

}  // namespace piseruma::workflows
