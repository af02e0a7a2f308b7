#include "workflows/preconditions.h"

#include <map>
#include <set>

#include "workflows/message_fields.h"

namespace piseruma::workflows {
namespace {

using Violations = std::vector<FieldViolation>;
using Fn = Violations (*)(const DecisionContext&, const Precondition&);

std::string Arg(const Precondition& p, int i) { return i < p.args_size() ? p.args(i) : ""; }
std::string Text(const DecisionContext& ctx, const std::string& field) {
  return FieldText(ctx.command, field).value_or("");
}

Violations ConsentGiven(const DecisionContext& ctx, const Precondition& p) {
  if (HasConsent(ctx.state, Arg(p, 0), Arg(p, 1))) return {};
  return {{"consent", "consent_missing",
           "Consentement manquant : « " + Arg(p, 0) + " » pour " + Arg(p, 1) +
               ". Recueillez-le d'abord. / Missing consent: '" + Arg(p, 0) + "' for " + Arg(p, 1) +
               ". Record it first."}};
}

Violations ConsentGivenField(const DecisionContext& ctx, const Precondition& p) {
  Precondition fixed;
  fixed.add_args(Text(ctx, Arg(p, 0)));
  fixed.add_args(Text(ctx, Arg(p, 1)));
  return ConsentGiven(ctx, fixed);
}

Violations MicrocreditConsent(const DecisionContext& ctx, const Precondition&) {
  if (Text(ctx, "kind") != "microcredit") return {};
  Precondition p;
  p.add_args("microfinance_referral");
  p.add_args("MFI");
  return ConsentGiven(ctx, p);
}

Violations AdultOn(const DecisionContext& ctx, const Precondition& p) {
  auto birth = ParseDate(Text(ctx, Arg(p, 0)));
  auto on = ParseDate(Text(ctx, Arg(p, 1)));
  if (!birth || !on) return {};  // the field rules report malformed dates
  if (YearsBetween(*birth, *on) >= 18) return {};
  return {{Arg(p, 0), "adult",
           "Le programme s'adresse aux adultes (18 ans ou plus). / The programme is for adults (18 or older)."}};
}

Violations DateNotBefore(const DecisionContext& ctx, const Precondition& p) {
  auto a = ParseDate(Text(ctx, Arg(p, 0)));
  auto b = ParseDate(Text(ctx, Arg(p, 1)));
  if (!a || !b || *a >= *b) return {};
  return {{Arg(p, 0), "date_order",
           Arg(p, 0) + " doit être le " + Text(ctx, Arg(p, 1)) + " ou après. / " + Arg(p, 0) +
               " must be on or after " + Text(ctx, Arg(p, 1)) + "."}};
}

bool HasAssessment(const StreamState& s, const std::string& kind) {
  for (const auto& a : s.case_facts().assessments()) {
    if (a.kind() == kind) return true;
  }
  return false;
}

Violations AssessmentNotRecorded(const DecisionContext& ctx, const Precondition& p) {
  const std::string kind = Text(ctx, Arg(p, 0));
  if (!HasAssessment(ctx.state, kind)) return {};
  return {{Arg(p, 0), "already_recorded",
           "L'évaluation « " + kind + " » est déjà enregistrée. / The '" + kind + "' assessment is already recorded."}};
}

Violations EndlineForOutcome(const DecisionContext& ctx, const Precondition&) {
  static const std::set<std::string> kNeedsEndline = {"self_reliant", "partly_self_reliant", "not_yet"};
  if (!kNeedsEndline.count(Text(ctx, "outcome")) || HasAssessment(ctx.state, "endline")) return {};
  return {{"outcome", "endline_missing",
           "Faites l'évaluation finale (SRI) avant de clôturer avec ce résultat. / Record the endline "
           "assessment (SRI) before closing with this outcome."}};
}

Violations PathwayNotOpen(const DecisionContext& ctx, const Precondition& p) {
  const std::string pathway = Text(ctx, Arg(p, 0));
  auto it = ctx.state.machines().find(pathway);
  if (it == ctx.state.machines().end()) return {};
  const WorkflowDefinition* def = ctx.registry.Find(pathway, it->second.definition_version());
  const State* st = def ? FindState(*def, it->second.state()) : nullptr;
  if (st && st->terminal()) return {};  // a finished pathway may be opened again
  return {{Arg(p, 0), "already_open",
           "Ce parcours est déjà ouvert sur le dossier. / This pathway is already open on the case."}};
}

Violations NoPendingTransfer(const DecisionContext& ctx, const Precondition&) {
  if (!ctx.state.case_facts().has_pending_transfer()) return {};
  return {{"transfer", "transfer_pending",
           "Un transfert attend déjà une réponse. / A transfer is already awaiting an answer."}};
}

Violations TransferPending(const DecisionContext& ctx, const Precondition&) {
  if (ctx.state.case_facts().has_pending_transfer()) return {};
  return {{"transfer", "no_transfer", "Aucun transfert en attente. / No transfer is pending."}};
}

Violations ActorReceivesTransfer(const DecisionContext& ctx, const Precondition&) {
  const auto& t = ctx.state.case_facts().pending_transfer();
  if (!ctx.state.case_facts().has_pending_transfer()) return {};
  const bool receiver = ctx.user.user_id == t.to_caseworker_id() ||
                        (ctx.user.role == "supervisor" && ctx.user.InCity(t.to_city()));
  if (receiver) return {};
  return {{"transfer", "not_receiver",
           "Seul·e le·la conseiller·ère destinataire (ou un·e superviseur·e de " + t.to_city() +
               ") peut répondre. / Only the receiving caseworker (or a supervisor in " + t.to_city() +
               ") can answer."}};
}

Violations NoClosureProposed(const DecisionContext& ctx, const Precondition&) {
  if (ctx.state.case_facts().proposed_outcome().empty()) return {};
  return {{"closure", "closure_pending",
           "Une clôture attend déjà l'approbation. / A closure is already awaiting approval."}};
}

Violations ClosureProposed(const DecisionContext& ctx, const Precondition&) {
  if (!ctx.state.case_facts().proposed_outcome().empty()) return {};
  return {{"closure", "no_closure", "Aucune clôture n'a été proposée. / No closure has been proposed."}};
}

Violations TurnoverWithinCeiling(const DecisionContext& ctx, const Precondition&) {
  const std::string type = Text(ctx, "activity_type");
  const double turnover = FieldNumber(ctx.command, "expected_annual_turnover_mad").value_or(0);
  const auto& params = ctx.registry.params();
  const double ceiling = type == "services" ? params.ae_ceiling_services_mad() : params.ae_ceiling_commerce_mad();
  if (turnover <= ceiling) return {};
  return {{"expected_annual_turnover_mad", "ae_ceiling",
           "Au-delà du plafond auto-entrepreneur (" + std::to_string(static_cast<long>(ceiling)) +
               " MAD) : prévoir une autre forme juridique. / Above the auto-entrepreneur ceiling (" +
               std::to_string(static_cast<long>(ceiling)) + " MAD): plan another legal form."}};
}

Violations EnoughMembers(const DecisionContext& ctx, const Precondition&) {
  const auto* ids = ctx.command.GetDescriptor()->FindFieldByName("member_case_ids");
  std::set<std::string> distinct;
  for (int i = 0; ids && i < ctx.command.GetReflection()->FieldSize(ctx.command, ids); ++i) {
    distinct.insert(ctx.command.GetReflection()->GetRepeatedString(ctx.command, ids, i));
  }
  const uint32_t min = ctx.registry.params().cooperative_min_members();
  if (distinct.size() >= min) return {};
  return {{"member_case_ids", "min_members",
           "Une coopérative compte au moins " + std::to_string(min) + " membres fondateurs (" +
               std::to_string(distinct.size()) + " indiqués). / A cooperative needs at least " +
               std::to_string(min) + " founding members (" + std::to_string(distinct.size()) + " given)."}};
}

struct Entry {
  Fn fn;
  bool reads_command;
};

const std::map<std::string, Entry>& Table() {
  static const auto* table = new std::map<std::string, Entry>{
      {"consent_given", {ConsentGiven, false}},
      {"consent_given_field", {ConsentGivenField, true}},
      {"microcredit_consent", {MicrocreditConsent, true}},
      {"adult_on", {AdultOn, true}},
      {"date_not_before", {DateNotBefore, true}},
      {"assessment_not_recorded", {AssessmentNotRecorded, true}},
      {"endline_for_outcome", {EndlineForOutcome, true}},
      {"pathway_not_open", {PathwayNotOpen, true}},
      {"no_pending_transfer", {NoPendingTransfer, false}},
      {"transfer_pending", {TransferPending, false}},
      {"actor_receives_transfer", {ActorReceivesTransfer, false}},
      {"no_closure_proposed", {NoClosureProposed, false}},
      {"closure_proposed", {ClosureProposed, false}},
      {"turnover_within_ae_ceiling", {TurnoverWithinCeiling, true}},
      {"enough_members", {EnoughMembers, true}},
  };
  return *table;
}

}  // namespace

bool HasPrecondition(const std::string& name) { return Table().count(name) > 0; }

bool PreconditionReadsCommand(const std::string& name) {
  auto it = Table().find(name);
  return it == Table().end() || it->second.reads_command;
}

std::vector<FieldViolation> CheckPrecondition(const DecisionContext& ctx, const Precondition& p) {
  return Table().at(p.name()).fn(ctx, p);
}

bool HasConsent(const StreamState& state, const std::string& purpose, const std::string& recipient) {
  for (const auto& c : state.case_facts().consents()) {
    if (c.purpose() == purpose && c.recipient() == recipient) return c.given();
  }
  return false;
}

}  // namespace piseruma::workflows
