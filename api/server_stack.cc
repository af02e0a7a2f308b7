#include "api/server_stack.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "api/projection_json.h"
#include "api/read_models.h"
#include "demo/demo.h"

namespace piseruma::api {
namespace fs = std::filesystem;

namespace {
std::string DemoTokensPath(const std::string& data_dir) {
  return (fs::path(data_dir) / "demo-tokens.txt").string();
}
}  // namespace

Result<std::unique_ptr<ServerStack>> ServerStack::Open(const StackOptions& options) {
  std::unique_ptr<ServerStack> s(new ServerStack());
  s->options_ = options;
  const std::string defs = options.definitions_dir.empty() ? workflows::DefaultDefinitionsDir()
                                                           : options.definitions_dir;
  PSR_ASSIGN_OR_RETURN(s->registry_, workflows::WorkflowRegistry::LoadDirectory(defs));
  std::error_code ec;
  const bool fresh = !fs::exists(fs::path(options.data_dir) / "db" / "CURRENT", ec);
  if (fresh && options.seed_demo) PSR_RETURN_IF_ERROR(s->SeedDemo());
  PSR_ASSIGN_OR_RETURN(
      s->log_, engine::EventLog::Open({.data_dir = options.data_dir, .clock = options.clock}));
  s->service_ =
      std::make_unique<workflows::CommandService>(s->log_.get(), s->registry_, options.clock);
  PSR_ASSIGN_OR_RETURN(s->users_, UserStore::Load(s->log_.get(), s->registry_));
  if (s->seeded_now_) PSR_RETURN_IF_ERROR(s->IssueDemoTokens());
  if (options.read_models) {
    PSR_ASSIGN_OR_RETURN(auto models, ProjectionReadModels::Open(options.data_dir, s->log_.get(),
                                                                 s->registry_, options.clock));
    s->read_models_ = std::move(models);
  }
  if (options.deadline_period.count() > 0) {
    s->scheduler_ = std::make_unique<workflows::DeadlineScheduler>(s->service_.get());
    s->scheduler_->Start(options.deadline_period);
  }
  if (options.checkpoint_period.count() > 0) {
    s->checkpointer_ = std::make_unique<audit::PeriodicCheckpointer>(
        s->log_.get(), options.checkpoint_period,
        [](const std::string& e) { std::fprintf(stderr, "%s\n", e.c_str()); });
  }
  return s;
}

ServerStack::~ServerStack() {
  checkpointer_.reset();
  scheduler_.reset();
  read_models_.reset();
  users_.reset();
  service_.reset();
  log_.reset();
}

Status ServerStack::SeedDemo() {
  std::fprintf(stdout,
               "Premier démarrage : création du programme de démonstration (%d participant·e·s "
               "synthétiques, "
               "24 mois)…\nFirst start: seeding %s with the synthetic demo programme…\n",
               options_.demo_participants, options_.data_dir.c_str());
  std::fflush(stdout);
  demo::DemoOptions demo;
  demo.participants = static_cast<uint64_t>(options_.demo_participants);
  demo.data_dir = options_.data_dir;
  demo.definitions_dir = options_.definitions_dir;
  int last_decile = -1;
  PSR_ASSIGN_OR_RETURN(demo::DemoReport report,
                       demo::RunDemo(demo, [&](uint64_t done, uint64_t total) {
                         const int decile = total == 0 ? 10 : static_cast<int>(10 * done / total);
                         if (decile != last_decile) {
                           last_decile = decile;
                           std::fprintf(stdout, "  demo: %d%%\n", decile * 10);
                           std::fflush(stdout);
                         }
                       }));
  std::fprintf(stdout, "  demo: %llu participants, %llu events in %.0f s\n",
               (unsigned long long)report.participants, (unsigned long long)report.events,
               report.elapsed_seconds);
  demo_users_ = report.users;
  seeded_now_ = true;
  return Status::Ok();
}

// Gives every demo user a token, written to <data>/demo-tokens.txt (synthetic users only).
Status ServerStack::IssueDemoTokens() {
  std::ofstream out(DemoTokensPath(options_.data_dir), std::ios::trunc);
  if (!out) return Status::Internal("cannot write " + DemoTokensPath(options_.data_dir));
  fs::permissions(DemoTokensPath(options_.data_dir),
                  fs::perms::owner_read | fs::perms::owner_write);
  engine::Actor by;
  by.set_user_id("serve:demo");
  by.set_role("admin");
  std::set<std::string> shown_roles;
  for (const auto& u : demo_users_) {
    PSR_ASSIGN_OR_RETURN(auto created,
                         users_->Add(by, u.user_id, u.display_name, u.role, u.cities));
    std::string cities;
    for (const auto& c : u.cities) cities += (cities.empty() ? "" : ",") + c;
    out << u.role << "\t" << u.user_id << "\t" << cities << "\t" << created.token << "\n";
  }
  return Status::Ok();
}

AppDeps ServerStack::Deps() {
  AppDeps d;
  d.log = log_.get();
  d.service = service_.get();
  d.registry = registry_;
  d.users = users_.get();
  d.read_models = read_models_.get();
  d.clock = options_.clock;
  return d;
}

Result<std::string> ServerStack::CreateAdmin(const std::string& user_id) {
  engine::Actor by;
  by.set_user_id("serve:create-admin");
  by.set_role("admin");
  PSR_ASSIGN_OR_RETURN(auto created, users_->Add(by, user_id, "Administrator", "admin", {}));
  return created.token;
}

void ServerStack::PrintWelcome(std::FILE* out) const {
  std::ifstream tokens(DemoTokensPath(options_.data_dir));
  if (tokens) {
    std::fprintf(
        out, "%s",
        seeded_now_
            ? "Données de démonstration créées (synthétiques) / demo data seeded (synthetic).\n"
            : "");
    std::fprintf(
        out,
        "Jetons de démonstration, un par rôle / demo tokens, one per role (synthetic users):\n");
    std::string line;
    std::set<std::string> roles;
    while (std::getline(tokens, line)) {
      const std::string role = line.substr(0, line.find('\t'));
      if (!roles.insert(role).second) continue;
      std::string shown = line;
      std::replace(shown.begin(), shown.end(), '\t', ' ');
      std::fprintf(out, "  %s\n", shown.c_str());
    }
    std::fprintf(out, "  (every demo user and token: %s)\n",
                 DemoTokensPath(options_.data_dir).c_str());
    return;
  }
  if (users_->ActiveCount() == 0) {
    std::fprintf(out,
                 "Aucun utilisateur / no users yet: restart with `piseruma serve --create-admin "
                 "admin` to create "
                 "the first administrator and print their token.\n");
  }
}

}  // namespace piseruma::api
