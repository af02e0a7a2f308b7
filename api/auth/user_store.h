// UserStore: the people who may use piseruma, their roles and cities, and their tokens.
//
// Users live in the event log (streams "user-<id>": UserAdded, UserRevoked, TokenRotated),
// so every change is durable, attributed and verifiable like any other event. Tokens are
// 256-bit random values, shown once at creation and stored only as their SHA-256.
//
// Thread-safety: all methods are thread-safe (a shared mutex over the in-memory index).
//
//   PSR_ASSIGN_OR_RETURN(auto users, UserStore::Load(&log, registry));
//   PSR_ASSIGN_OR_RETURN(auto created, users->Add(admin, "u-amal", "Amal", "caseworker",
//   {"Rabat"})); std::cout << created.token;   // give it to Amal; it is never shown again
//   std::optional<User> who = users->Authenticate(bearer_token);
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "engine/event_log.h"
#include "engine/thread_annotations.h"
#include "workflows/decision.h"
#include "workflows/registry.h"

namespace piseruma::api {

struct User {
  std::string user_id;
  std::string display_name;
  std::string role;
  std::vector<std::string> cities;
  bool revoked = false;

  workflows::UserContext Context() const { return {user_id, role, cities}; }
};

bool IsKnownRole(const std::string& role);

class UserStore {
 public:
  // Folds every "user-" stream of the log. `log` must outlive the store.
  static Result<std::unique_ptr<UserStore>> Load(
      engine::EventLog* log, std::shared_ptr<const workflows::WorkflowRegistry> registry);

  struct Created {
    User user;
    std::string token;  // shown once
  };
  // kInvalidArgument (with violations) for a bad id, role or city; kAlreadyExists.
  Result<Created> Add(const engine::Actor& by, const std::string& user_id,
                      const std::string& display_name, const std::string& role,
                      const std::vector<std::string>& cities) EXCLUDES(mu_);
  Status Revoke(const engine::Actor& by, const std::string& user_id, const std::string& reason)
      EXCLUDES(mu_);
  // A new token for an existing user; the old one stops working.
  Result<std::string> RotateToken(const engine::Actor& by, const std::string& user_id)
      EXCLUDES(mu_);

  // The active user holding this token, if any.
  std::optional<User> Authenticate(std::string_view token) const EXCLUDES(mu_);
  std::optional<User> Find(const std::string& user_id) const EXCLUDES(mu_);
  std::vector<User> List() const EXCLUDES(mu_);
  size_t ActiveCount() const EXCLUDES(mu_);

 private:
  UserStore(engine::EventLog* log, std::shared_ptr<const workflows::WorkflowRegistry> registry)
      : log_(log), registry_(std::move(registry)) {}
  Status Apply(const engine::RecordedEvent& event) EXCLUDES(mu_);
  Status Write(const engine::Actor& by, const std::string& user_id, const std::string& type,
               const std::string& payload, engine::ExpectedVersion expected);

  engine::EventLog* const log_;
  const std::shared_ptr<const workflows::WorkflowRegistry> registry_;
  mutable std::shared_mutex mu_;
  std::map<std::string, User> users_ GUARDED_BY(mu_);
  std::map<std::string, std::string> by_token_hash_ GUARDED_BY(mu_);  // sha256 hex → user id
};

// "psr_" + 64 hex characters from the CSPRNG.
std::string NewToken();
std::string Sha256Hex(std::string_view data);

}  // namespace piseruma::api
