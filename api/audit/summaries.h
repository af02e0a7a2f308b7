// Readable one-line summaries of events for auditors, in French and English:
// "Consentement recueilli : employment_referral pour ANAPEC" / "Consent recorded: …".
//
// Templates name fields of the event's data with {field}; personal fields are never named,
// so a summary is safe to show to any role that may see the history.
//
// Thread-safety: pure functions.
//
//   EventSummary s = Summarize("ConsentRecorded", data_json);
//   std::cout << s.fr << " / " << s.en << "\n";
#pragma once

#include <boost/json.hpp>
#include <string>

namespace piseruma::api::audit {

struct EventSummary {
  std::string fr;
  std::string en;
};

// The summary of an event of `type` whose (non-personal) data is `data`. Unknown types get
// a generic sentence naming the type; missing fields render as "?".
EventSummary Summarize(const std::string& type, const boost::json::object& data);

}  // namespace piseruma::api::audit
