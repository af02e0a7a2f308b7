// Staff: the demo's users — AMAPPE caseworkers and supervisors per city, a national
// coordinator, an administrator, a UNHCR auditor and steering-committee members.
//
// The roster depends only on the number of participants and the programme's cities, never
// on the seed, so a server can rebuild it (to issue login tokens) without re-running the
// demo: DemoStaff(options) gives the same list, in the same order, every time.
// Display names are synthetic ("… Démo"), like the participants'.
//
// Thread-safety: pure functions; DemoUser is a plain value, intentionally copyable.
//
//   for (const DemoUser& u : DemoStaff(2000, registry.params().cities())) issue_token(u);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workflows/decision.h"

namespace piseruma::demo {

struct DemoUser {
  std::string user_id;              // "u-cw-rabat-1", "u-sup-rabat-kenitra", "u-admin", …
  std::string display_name;         // "Salma Démo — conseillère, Rabat"
  std::string role;                 // caseworker | supervisor | auditor | committee | admin
  std::vector<std::string> cities;  // empty for roles that are not tied to cities

  workflows::UserContext context() const { return {user_id, role, cities}; }
};

// Caseworkers per city: one per ~150 expected participants, at least 2, at most 12.
// Supervisors: one per region (Rabat–Kénitra, Casablanca, Oujda, Tanger–Tétouan,
// Fès–Meknès, Marrakech–Agadir; any other city gets its own) and a national coordinator
// (a supervisor in every city). Order: admin, coordinator, supervisors, caseworkers by
// city, auditor, committee.
std::vector<DemoUser> DemoStaff(uint64_t participants, const std::vector<std::string>& cities);

// "Kénitra" → "kenitra": the ASCII slug used in user ids.
std::string CitySlug(const std::string& city);

}  // namespace piseruma::demo
