#include "workflows/handlers.h"

#include <map>
#include <set>

#include "workflows/preconditions.h"
#include "workflows/proto/commands.pb.h"
#include "workflows/tahfiz.h"

namespace piseruma::workflows {
namespace {

using Handler = Result<Decision> (*)(const DecisionContext&);

template <typename T>
std::shared_ptr<T> CommandAs(const DecisionContext& ctx) {
  auto copy = std::make_shared<T>();
  copy->CopyFrom(ctx.command);
  return copy;
}

Decision Single(const DecisionContext& ctx, EventToWrite event) {
  Decision d;
  d.writes.push_back({ctx.stream_id, ctx.state.version(), {}});
  d.writes[0].events.push_back(std::move(event));
  return d;
}

Status Refuse(std::vector<FieldViolation> violations) {
  Status s = Status::FailedPrecondition(violations.front().message);
  for (auto& v : violations) s.AddViolation(std::move(v));
  return s;
}

Result<Decision> Record(const DecisionContext& ctx) { return Single(ctx, TransitionEvent(ctx)); }

std::string AgeGroup(int years) {
  if (years < 25) return "18-24";
  if (years < 60) return "25-59";
  return "60+";
}

bool SevereDifficulty(const WashingtonGroup& wg) {
  for (const std::string& v : {wg.seeing(), wg.hearing(), wg.walking(), wg.cognition(), wg.self_care(), wg.communication()}) {
    if (v == "a_lot_of_difficulty" || v == "cannot_do") return true;
  }
  return false;
}

Result<Decision> RegisterParticipantHandler(const DecisionContext& ctx) {
  auto m = CommandAs<RegisterParticipant>(ctx);
  if (m->caseworker_id().empty()) m->set_caseworker_id(ctx.user.user_id);
  const Day birth = ParseDate(m->date_of_birth()).value_or(0);
  const Day on = ParseDate(m->registered_on()).value_or(0);
  m->set_age_group(AgeGroup(YearsBetween(birth, on)));
  std::string suffix = ctx.stream_id.substr(ctx.stream_id.find('-') + 1);
  for (char& c : suffix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  m->set_participant_code(CityCode(m->city()) + "-" + suffix);
  m->set_with_disability(SevereDifficulty(m->disability()));
  EventToWrite e = TransitionEvent(ctx);
  e.data = m;
  return Single(ctx, std::move(e));
}

Result<Decision> OpenPathway(const DecisionContext& ctx) {
  const auto& m = static_cast<const OrientToPathway&>(ctx.command);
  const WorkflowDefinition* pathway = ctx.registry.Latest(m.pathway());
  if (!pathway) return Status::InvalidArgument("unknown pathway " + m.pathway());
  EventToWrite e = TransitionEvent(ctx);
  MachineChange* opened = e.header.add_opened();
  opened->set_machine(pathway->name());
  opened->set_definition_version(pathway->version());
  opened->set_to_state(pathway->initial_state());
  return Single(ctx, std::move(e));
}

Result<Decision> RequestTransferHandler(const DecisionContext& ctx) {
  const auto& m = static_cast<const RequestTransfer&>(ctx.command);
  const CaseFacts& f = ctx.state.case_facts();
  if (m.to_caseworker_id() == f.caseworker_id() && m.to_city() == f.city()) {
    return Refuse({{"to_caseworker_id", "same_caseworker",
                    "Le dossier est déjà suivi par ce·tte conseiller·ère. / The case is already with this caseworker."}});
  }
  return Record(ctx);
}

Result<Decision> CloseCase(const DecisionContext& ctx) {
  EventToWrite e = TransitionEvent(ctx);
  for (const auto& d : ctx.state.deadlines()) e.header.add_deadlines_met(d.name());
  return Single(ctx, std::move(e));
}

Result<Decision> RecordPlacementHandler(const DecisionContext& ctx) {
  auto m = CommandAs<RecordPlacement>(ctx);
  *m->mutable_tahfiz() = AssessTahfiz(*m, ctx.registry.params());
  EventToWrite e = TransitionEvent(ctx);
  e.data = m;
  return Single(ctx, std::move(e));
}

// Founding writes the cooperative's first event and JoinCooperative on each member's case,
// in one atomic append guarded by every member's current version: no reader ever sees a
// cooperative without its members, or a member of a cooperative that does not exist.
Result<Decision> FoundCooperativeHandler(const DecisionContext& ctx) {
  const auto& m = static_cast<const FoundCooperative&>(ctx.command);
  Decision d = Single(ctx, TransitionEvent(ctx));
  std::vector<FieldViolation> problems;
  std::set<std::string> seen;
  for (int i = 0; i < m.member_case_ids_size(); ++i) {
    const std::string& id = m.member_case_ids(i);
    const std::string field = "member_case_ids[" + std::to_string(i) + "]";
    if (!seen.insert(id).second) continue;
    if (id.rfind("case-", 0) != 0) {
      problems.push_back({field, "not_a_case", id + " n'est pas un dossier. / " + id + " is not a case."});
      continue;
    }
    PSR_ASSIGN_OR_RETURN(StreamState member, ctx.load(id));
    const CaseFacts& f = member.case_facts();
    if (member.version() == 0 || (!ctx.user.InCity(f.city()) && ctx.user.role != "admin")) {
      problems.push_back({field, "unknown_case", "Dossier " + id + " introuvable. / Case " + id + " not found."});
      continue;
    }
    auto it = member.machines().find("cooperative_membership");
    if (it == member.machines().end() || it->second.state() != "open") {
      problems.push_back({field, "not_in_pathway",
                          f.participant_code() + " n'est pas orienté·e vers le parcours coopérative (ou est déjà membre). / " +
                              f.participant_code() + " is not in the cooperative pathway (or is already a member)."});
      continue;
    }
    if (!HasConsent(member, "cooperative_support", "ODCO")) {
      problems.push_back({field, "consent_missing",
                          f.participant_code() + " n'a pas consenti au partage avec l'ODCO. / " + f.participant_code() +
                              " has not consented to sharing with ODCO."});
      continue;
    }
    auto join = std::make_shared<JoinCooperative>();
    join->set_cooperative_id(ctx.stream_id);
    join->set_joined_on(m.founded_on());
    EventToWrite e;
    e.type = "JoinedCooperative";
    MachineChange* c = e.header.mutable_transition();
    c->set_machine("cooperative_membership");
    c->set_definition_version(it->second.definition_version());
    c->set_from_state("open");
    c->set_to_state("member");
    e.data = join;
    d.writes.push_back({id, member.version(), {std::move(e)}});
  }
  if (!problems.empty()) return Refuse(std::move(problems));
  return d;
}

const std::map<std::string, Handler>& Table() {
  static const auto* table = new std::map<std::string, Handler>{
      {"record", Record},
      {"register_participant", RegisterParticipantHandler},
      {"open_pathway", OpenPathway},
      {"request_transfer", RequestTransferHandler},
      {"close_case", CloseCase},
      {"record_placement", RecordPlacementHandler},
      {"found_cooperative", FoundCooperativeHandler},
  };
  return *table;
}

}  // namespace

std::string MachineState(const StreamState& state, const WorkflowDefinition& def) {
  auto it = state.machines().find(def.name());
  return it == state.machines().end() ? def.initial_state() : it->second.state();
}

bool UserContext::InCity(const std::string& city) const {
  for (const auto& c : cities) {
    if (c == city) return true;
  }
  return false;
}

bool HasHandler(const std::string& name) { return Table().count(name) > 0; }

Result<Decision> RunHandler(const std::string& name, const DecisionContext& ctx) {
  return Table().at(name)(ctx);
}

EventToWrite TransitionEvent(const DecisionContext& ctx) {
  EventToWrite e;
  e.type = ctx.transition.event();
  MachineChange* c = e.header.mutable_transition();
  c->set_machine(ctx.machine);
  c->set_definition_version(ctx.definition.version());
  const std::string from = MachineState(ctx.state, ctx.definition);
  c->set_from_state(from);
  c->set_to_state(ctx.transition.to().empty() ? from : ctx.transition.to());
  std::shared_ptr<google::protobuf::Message> copy(ctx.command.New());
  copy->CopyFrom(ctx.command);
  e.data = std::move(copy);
  return e;
}

std::string CityCode(const std::string& city) {
  std::string code;
  for (size_t i = 0; i < city.size() && code.size() < 3; ++i) {
    unsigned char c = static_cast<unsigned char>(city[i]);
    if (c == 0xC3 && i + 1 < city.size()) {  // Latin-1 supplement in UTF-8: é è ê → E
      code.push_back('E');
      ++i;
    } else if (std::isalpha(c)) {
      code.push_back(static_cast<char>(std::toupper(c)));
    }
  }
  return code;
}

}  // namespace piseruma::workflows
