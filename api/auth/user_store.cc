#include "api/auth/user_store.h"

#include <openssl/sha.h>

#include <algorithm>
#include <set>

#include "api/proto/api.pb.h"
#include "engine/hash_chain.h"
#include "engine/limits.h"
#include "engine/random.h"

namespace piseruma::api {
namespace {

const std::set<std::string>& Roles() {
  static const auto* roles =
      new std::set<std::string>{"caseworker", "supervisor", "auditor", "committee", "admin"};
  return *roles;
}

std::string StreamOf(const std::string& user_id) { return "user-" + user_id; }

}  // namespace

bool IsKnownRole(const std::string& role) { return Roles().count(role) > 0; }

std::string Sha256Hex(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return engine::HexEncode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string NewToken() {
  std::string raw(32, '\0');
  engine::CryptoRandom::Default()->Fill(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return "psr_" + engine::HexEncode(raw);
}

Result<std::unique_ptr<UserStore>> UserStore::Load(
    engine::EventLog* log, std::shared_ptr<const workflows::WorkflowRegistry> registry) {
  std::unique_ptr<UserStore> store(new UserStore(log, std::move(registry)));
  std::string after;
  while (true) {
    PSR_ASSIGN_OR_RETURN(auto streams, log->ListStreams("user-", after, 1000));
    if (streams.empty()) break;
    for (const auto& info : streams) {
      PSR_ASSIGN_OR_RETURN(auto events, log->ReadStream({.stream_id = info.stream_id}));
      for (const auto& e : events) PSR_RETURN_IF_ERROR(store->Apply(e));
    }
    after = streams.back().stream_id;
  }
  return store;
}

Status UserStore::Apply(const engine::RecordedEvent& event) {
  const std::string& type = event.envelope.event_type();
  std::unique_lock lock(mu_);
  if (type == "UserAdded") {
    UserAdded m;
    if (!m.ParseFromString(event.envelope.payload()))
      return Status::DataLoss("a UserAdded event is damaged");
    User& u = users_[m.user_id()];
    u = User{
        m.user_id(), m.display_name(), m.role(), {m.cities().begin(), m.cities().end()}, false};
    by_token_hash_[m.token_sha256()] = m.user_id();
  } else if (type == "UserRevoked") {
    UserRevoked m;
    if (!m.ParseFromString(event.envelope.payload()))
      return Status::DataLoss("a UserRevoked event is damaged");
    users_[m.user_id()].revoked = true;
  } else if (type == "TokenRotated") {
    TokenRotated m;
    if (!m.ParseFromString(event.envelope.payload()))
      return Status::DataLoss("a TokenRotated event is damaged");
    std::erase_if(by_token_hash_, [&](const auto& kv) { return kv.second == m.user_id(); });
    by_token_hash_[m.token_sha256()] = m.user_id();
  }
  return Status::Ok();
}

Status UserStore::Write(const engine::Actor& by, const std::string& user_id,
                        const std::string& type, const std::string& payload,
                        engine::ExpectedVersion expected) {
  engine::AppendRequest req;
  req.command_id = "user:" + user_id + ":" + type + ":" + NewToken().substr(4, 16);
  req.actor = by;
  req.writes.push_back(
      {StreamOf(user_id), expected, {engine::NewEvent{.type = type, .payload = payload}}});
  PSR_ASSIGN_OR_RETURN(auto result, log_->Append(std::move(req)));
  PSR_ASSIGN_OR_RETURN(auto events,
                       log_->ReadStream({.stream_id = StreamOf(user_id),
                                         .from_version = result.streams[0].new_version}));
  for (const auto& e : events) PSR_RETURN_IF_ERROR(Apply(e));
  return Status::Ok();
}

Result<UserStore::Created> UserStore::Add(const engine::Actor& by, const std::string& user_id,
                                          const std::string& display_name, const std::string& role,
                                          const std::vector<std::string>& cities) {
  Status bad = Status::InvalidArgument("the user cannot be created as given");
  if (Status s = engine::ValidateId(user_id, "user_id", engine::Limits()); !s.ok())
    bad.AddViolation(s.violations()[0]);
  if (!IsKnownRole(role)) {
    bad.AddViolation(
        {"role", "one_of", "role must be caseworker, supervisor, auditor, committee or admin"});
  }
  if (display_name.size() > 200)
    bad.AddViolation({"display_name", "max_length", "display_name is too long"});
  const auto& known = registry_->params().cities();
  const bool scoped = role == "caseworker" || role == "supervisor";
  if (scoped && cities.empty())
    bad.AddViolation({"cities", "required", "a " + role + " needs at least one city"});
  if (!scoped && !cities.empty())
    bad.AddViolation({"cities", "not_allowed", "only caseworkers and supervisors have cities"});
  for (const auto& c : cities) {
    if (std::find(known.begin(), known.end(), c) == known.end()) {
      bad.AddViolation({"cities", "city", "'" + c + "' is not a programme city"});
    }
  }
  if (!bad.violations().empty()) return bad;
  if (Find(user_id)) return Status::AlreadyExists("user " + user_id + " already exists");

  Created created{User{user_id, display_name, role, cities, false}, NewToken()};
  UserAdded m;
  m.set_user_id(user_id);
  m.set_display_name(display_name);
  m.set_role(role);
  for (const auto& c : cities) m.add_cities(c);
  m.set_token_sha256(Sha256Hex(created.token));
  auto s =
      Write(by, user_id, "UserAdded", m.SerializeAsString(), engine::ExpectedVersion::NoStream());
  if (s.code() == StatusCode::kAborted)
    return Status::AlreadyExists("user " + user_id + " already exists");
  PSR_RETURN_IF_ERROR(s);
  return created;
}

Status UserStore::Revoke(const engine::Actor& by, const std::string& user_id,
                         const std::string& reason) {
  auto u = Find(user_id);
  if (!u) return Status::NotFound("no user " + user_id);
  if (u->revoked) return Status::FailedPrecondition("user " + user_id + " is already revoked");
  UserRevoked m;
  m.set_user_id(user_id);
  m.set_reason(reason);
  return Write(by, user_id, "UserRevoked", m.SerializeAsString(), engine::ExpectedVersion::Any());
}

Result<std::string> UserStore::RotateToken(const engine::Actor& by, const std::string& user_id) {
  auto u = Find(user_id);
  if (!u || u->revoked) return Status::NotFound("no active user " + user_id);
  std::string token = NewToken();
  TokenRotated m;
  m.set_user_id(user_id);
  m.set_token_sha256(Sha256Hex(token));
  PSR_RETURN_IF_ERROR(
      Write(by, user_id, "TokenRotated", m.SerializeAsString(), engine::ExpectedVersion::Any()));
  return token;
}

std::optional<User> UserStore::Authenticate(std::string_view token) const {
  if (token.size() != 68 || token.substr(0, 4) != "psr_") return std::nullopt;
  const std::string hash = Sha256Hex(token);
  std::shared_lock lock(mu_);
  auto it = by_token_hash_.find(hash);
  if (it == by_token_hash_.end()) return std::nullopt;
  auto u = users_.find(it->second);
  if (u == users_.end() || u->second.revoked) return std::nullopt;
  return u->second;
}

std::optional<User> UserStore::Find(const std::string& user_id) const {
  std::shared_lock lock(mu_);
  auto it = users_.find(user_id);
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

std::vector<User> UserStore::List() const {
  std::shared_lock lock(mu_);
  std::vector<User> out;
  for (const auto& [id, u] : users_) out.push_back(u);
  return out;
}

size_t UserStore::ActiveCount() const {
  std::shared_lock lock(mu_);
  size_t active = 0;
  for (const auto& [id, user] : users_) active += user.revoked ? 0 : 1;
  return active;
}

}  // namespace piseruma::api
