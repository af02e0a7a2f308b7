// A case's history as auditors read it: every event of the case and of the cooperatives it
// belongs to, in log order, each with its position, time, actor and role, command id, type,
// a French and English summary, its data (personal fields opened, sealed or erased, as the
// reader was allowed), and its hash.
//
// Thread-safety: functions over a thread-safe EventLog; no state of their own.
//
//   PSR_ASSIGN_OR_RETURN(auto events, CaseEvents(log, "case-7K2M9Q4A", {"coop-X"}, true));
//   for (const auto& e : events) std::cout << boost::json::serialize(HistoryEntryJson(e)) << "\n";
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "engine/event_log.h"

namespace piseruma::api::audit {

// The events of `case_id` and of each stream in `also`, merged in position order.
// `open_personal`: unseal personal fields (the caller must be allowed to, and record it).
Result<std::vector<engine::RecordedEvent>> CaseEvents(const engine::EventLog& log,
                                                      const std::string& case_id,
                                                      const std::vector<std::string>& also,
                                                      bool open_personal);

// The cooperative streams a case has joined, from its JoinedCooperative events.
std::vector<std::string> CooperativesOf(const std::vector<engine::RecordedEvent>& case_events);

// One event as a history entry (EventToJson's fields plus "summary" {fr, en} and "data").
boost::json::object HistoryEntryJson(const engine::RecordedEvent& event);

// The event's command data without personal fields, as JSON (empty when not a domain event).
boost::json::object PublicDataJson(const engine::RecordedEvent& event);

// The erasure record of `subject` as JSON (who, when, under which request), or null.
Result<boost::json::value> ErasureJson(const engine::EventLog& log, const std::string& subject);

// "2026-06-15T10:00:00Z", "2026-06-15T12:00:00.5+02:00" → microseconds since the epoch.
// kInvalidArgument for anything else (an offset or Z is required).
Result<int64_t> ParseRfc3339Micros(const std::string& text);

// A moment in a case's life: a log position, and the time of the case's last event then.
struct AsOf {
  uint64_t position = 0;  // 0: before the case's first event
  int64_t at_micros = 0;  // the time asked for, or that of the case's last event ≤ position
};

// Resolves "POSITION" (digits) or an RFC3339 time against the case's own events (in order):
// a time means the last case event recorded at or before it. kInvalidArgument otherwise.
Result<AsOf> ResolveAsOf(const std::vector<engine::RecordedEvent>& case_events,
                         const std::string& text);

}  // namespace piseruma::api::audit
