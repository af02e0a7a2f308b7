// Who may see a case or cooperative, and who may read a person's sealed fields — the rules
// every endpoint that shows a case applies (case_endpoints.cc, audit_endpoints.cc).
//
//   caseworkers, supervisors  streams of their cities, and a case whose transfer they receive
//   auditors, admins          every stream
//   personal fields           caseworkers and supervisors of the case's city, and auditors;
//                             each read is appended to "access-<case id>" before it is answered
//
// Thread-safety: the functions are thread-safe (the log is).
#pragma once

#include <string>

#include "api/app.h"
#include "workflows/proto/state.pb.h"

namespace piseruma::api {

bool Visible(const Call& c, const workflows::StreamState& s);
bool MayReadPersonal(const Call& c, const workflows::StreamState& s);
// Appends the read to the access log; the caller answers only if this succeeds.
Status RecordPersonalRead(App& app, const Call& c, const std::string& case_id);

}  // namespace piseruma::api
