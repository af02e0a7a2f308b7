// `piseruma user add|list|revoke`: managing users offline (the server must be stopped, it
// holds the data directory). A running server has the same under /v1/admin/users.
#include <cstdio>
#include <cstring>
#include <sstream>

#include "api/auth/user_store.h"
#include "api/cli/commands.h"
#include "api/cli/flags.h"
#include "workflows/registry.h"

namespace piseruma::cli {
namespace {

std::vector<std::string> SplitCities(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string city;
  while (std::getline(in, city, ',')) {
    if (!city.empty()) out.push_back(city);
  }
  return out;
}

struct Opened {
  std::unique_ptr<engine::EventLog> log;
  std::shared_ptr<const workflows::WorkflowRegistry> registry;
  std::unique_ptr<api::UserStore> users;
};

Result<Opened> Open(const std::string& data, const std::string& definitions) {
  Opened o;
  PSR_ASSIGN_OR_RETURN(o.registry, workflows::WorkflowRegistry::LoadDirectory(definitions));
  PSR_ASSIGN_OR_RETURN(o.log, engine::EventLog::Open({.data_dir = data}));
  PSR_ASSIGN_OR_RETURN(o.users, api::UserStore::Load(o.log.get(), o.registry));
  return o;
}

engine::Actor Cli() {
  engine::Actor a;
  a.set_user_id("cli:" + std::string(std::getenv("USER") ? std::getenv("USER") : "operator"));
  a.set_role("admin");
  return a;
}

}  // namespace

int RunUser(int argc, char** argv) {
  const std::string action = argc >= 2 ? argv[1] : "";
  if (action != "add" && action != "list" && action != "revoke") {
    std::fputs(
        "usage: piseruma user add|list|revoke [options]   (each has --help)\n\n"
        "Manage who may use piseruma. Stop the server first (it holds the data directory),\n"
        "or use /v1/admin/users on a running server.\n",
        action == "--help" ? stdout : stderr);
    return action == "--help" || action == "-h" ? 0 : 2;
  }
  Flags f("user " + action, action == "add"
                                ? "Create a user and print their token (shown only this once)."
                            : action == "list" ? "List users, their roles and cities."
                                               : "Revoke a user: their token stops working.");
  f.Add("data", "the data directory", "./data", "PISERUMA_DATA");
  f.Add("definitions", "workflow definitions directory", workflows::DefaultDefinitionsDir(),
        "PISERUMA_DEFINITIONS");
  if (action == "add") {
    f.AddPositional("USER_ID", "e.g. u-amal");
    f.Add("role", "caseworker | supervisor | auditor | committee | admin", "");
    f.Add("name", "display name", "");
    f.Add("cities", "comma-separated programme cities (caseworkers and supervisors)", "");
  } else if (action == "revoke") {
    f.AddPositional("USER_ID", "the user to revoke");
    f.Add("reason", "why", "revoked by an operator");
  }
  if (int rc = ParseOrExit(f, argc - 1, argv + 1, "user"); rc >= 0) return rc;
  auto opened = Open(f.Get("data"), f.Get("definitions"));
  if (!opened.ok()) return Fail("user", opened.status().message());
  if (action == "add") {
    auto created = opened->users->Add(Cli(), f.Get("USER_ID"), f.Get("name"), f.Get("role"),
                                      SplitCities(f.Get("cities")));
    if (!created.ok()) {
      std::string why = created.status().message();
      for (const auto& v : created.status().violations())
        why += "\n  " + v.field + ": " + v.message;
      return Fail("user add", why);
    }
    std::printf("created %s (%s)\ntoken: %s\nThis token is shown only once; give it to the user.\n",
                created->user.user_id.c_str(), created->user.role.c_str(), created->token.c_str());
    return 0;
  }
  if (action == "revoke") {
    Status r = opened->users->Revoke(Cli(), f.Get("USER_ID"), f.Get("reason"));
    if (!r.ok()) return Fail("user revoke", r.message());
    std::printf("revoked %s\n", f.Get("USER_ID").c_str());
    return 0;
  }
  for (const auto& u : opened->users->List()) {
    std::string cities;
    for (const auto& c : u.cities) cities += (cities.empty() ? "" : ",") + c;
    std::printf("%-24s %-11s %-30s %s%s\n", u.user_id.c_str(), u.role.c_str(), cities.c_str(),
                u.display_name.c_str(), u.revoked ? " (revoked)" : "");
  }
  return 0;
}

}  // namespace piseruma::cli
