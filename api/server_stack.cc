#include "api/server_stack.h"

#include <filesystem>
#include <fstream>

#include "api/read_models.h"

namespace piseruma::api {
namespace fs = std::filesystem;

namespace {
std::string DemoTokensPath(const std::string& data_dir) { return (fs::path(data_dir) / "demo-tokens.txt").string(); }
}  // namespace

Result<std::unique_ptr<ServerStack>> ServerStack::Open(const StackOptions& options) {
  std::unique_ptr<ServerStack> s(new ServerStack());
  s->options_ = options;
  const std::string defs = options.definitions_dir.empty() ? workflows::DefaultDefinitionsDir() : options.definitions_dir;
  PSR_ASSIGN_OR_RETURN(s->registry_, workflows::WorkflowRegistry::LoadDirectory(defs));
  std::error_code ec;
  const bool fresh = !fs::exists(fs::path(options.data_dir) / "db" / "CURRENT", ec);
  if (fresh && options.seed_demo) PSR_RETURN_IF_ERROR(s->SeedDemo());
  PSR_ASSIGN_OR_RETURN(s->log_, engine::EventLog::Open({.data_dir = options.data_dir, .clock = options.clock}));
  s->service_ = std::make_unique<workflows::CommandService>(s->log_.get(), s->registry_, options.clock);
  PSR_ASSIGN_OR_RETURN(s->users_, UserStore::Load(s->log_.get(), s->registry_));
  if (options.deadline_period.count() > 0) {
    s->scheduler_ = std::make_unique<workflows::DeadlineScheduler>(s->service_.get());
    s->scheduler_->Start(options.deadline_period);
  }
  if (options.checkpoint_period.count() > 0) {
    s->checkpointer_ = std::make_unique<audit::PeriodicCheckpointer>(
        s->log_.get(), options.checkpoint_period, [](const std::string& e) { std::fprintf(stderr, "%s\n", e.c_str()); });
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
  return Status::Unavailable("the demo generator is not built into this server yet (issue 7)");
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
    std::fprintf(out, "%s", seeded_now_ ? "Données de démonstration créées (synthétiques) / demo data seeded (synthetic).\n" : "");
    std::fprintf(out, "Jetons de démonstration / demo tokens (synthetic users):\n");
    std::string line;
    while (std::getline(tokens, line)) std::fprintf(out, "  %s\n", line.c_str());
    return;
  }
  if (users_->ActiveCount() == 0) {
    std::fprintf(out,
                 "Aucun utilisateur / no users yet: restart with `piseruma serve --create-admin admin` to create "
                 "the first administrator and print their token.\n");
  }
}

}  // namespace piseruma::api
