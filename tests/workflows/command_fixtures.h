// Valid command data for workflow tests: one JSON body per command that passes every field
// rule, with the `when` field set when asked ("decision=revise").
//
//   std::string json = ValidJson("RecordPlacement", "", "2026-06-01");
#pragma once

#include <string>
#include <vector>

namespace piseruma::testing {

// `when` is "" or "field=value" (overrides that field); `date` is used for every date.
std::string ValidJson(const std::string& command, const std::string& when, const std::string& date);

// The consents every pathway needs, as (purpose, recipient).
std::vector<std::pair<std::string, std::string>> AllConsents();

}  // namespace piseruma::testing
