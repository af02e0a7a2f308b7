#include "api/audit/summaries.h"

#include <cstring>
#include <map>

namespace piseruma::api::audit {
namespace {

struct Template {
  const char* fr;
  const char* en;
};

// Event type → sentence templates. {field} is replaced by the data's field (never personal).
const std::map<std::string, Template>& Templates() {
  static const auto* t = new std::map<std::string, Template>{
      {"ParticipantRegistered",
       {"Participant·e enregistré·e : {participant_code}, {city}",
        "Participant registered: {participant_code}, {city}"}},
      {"ConsentRecorded",
       {"Consentement recueilli : {purpose} pour {recipient}",
        "Consent recorded: {purpose} for {recipient}"}},
      {"ConsentWithdrawn",
       {"Consentement retiré : {purpose} pour {recipient}",
        "Consent withdrawn: {purpose} for {recipient}"}},
      {"AssessmentRecorded",
       {"Évaluation d'autosuffisance ({kind}) du {assessed_on}",
        "Self-reliance assessment ({kind}) of {assessed_on}"}},
      {"OrientedToPathway",
       {"Orientation vers le parcours {pathway}", "Oriented to the {pathway} pathway"}},
      {"NoteAdded", {"Note ajoutée", "Note added"}},
      {"CaseConferenceHeld",
       {"Conférence de cas tenue le {held_on}", "Case conference held on {held_on}"}},
      {"TransferRequested",
       {"Transfert demandé vers {to_city}", "Transfer requested to {to_city}"}},
      {"TransferAccepted", {"Transfert accepté", "Transfer accepted"}},
      {"TransferDeclined", {"Transfert refusé", "Transfer declined"}},
      {"ClosureProposed", {"Clôture proposée : {outcome}", "Closure proposed: {outcome}"}},
      {"CaseClosed", {"Dossier clôturé", "Case closed"}},
      {"ClosureRejected", {"Clôture refusée", "Closure rejected"}},
      {"CaseReopened", {"Dossier rouvert le {reopened_on}", "Case reopened on {reopened_on}"}},
      {"WorkflowMigrated",
       {"Workflow {machine} migré vers la version {to_version}",
        "Workflow {machine} migrated to version {to_version}"}},
      {"DeadlineOverdue",
       {"Échéance dépassée : {deadline} (due le {due_on})",
        "Deadline overdue: {deadline} (due {due_on})"}},
      {"PersonalDataErased",
       {"Données personnelles effacées (demande {request_ref})",
        "Personal data erased (request {request_ref})"}},
      {"AnapecReferralSent",
       {"Orientation envoyée à l'ANAPEC ({agency})", "Referral sent to ANAPEC ({agency})"}},
      {"AnapecRegistrationConfirmed",
       {"Inscription ANAPEC confirmée : {anapec_id}",
        "ANAPEC registration confirmed: {anapec_id}"}},
      {"AnapecRefusalRecorded", {"Refus de l'ANAPEC : {reason}", "ANAPEC refusal: {reason}"}},
      {"WorkshopAttended",
       {"Atelier TRE suivi : {workshop}", "Job-search workshop attended: {workshop}"}},
      {"PlacementRecorded",
       {"Placement chez {employer_name} ({contract_type}, {monthly_wage_mad} MAD/mois)",
        "Placement at {employer_name} ({contract_type}, {monthly_wage_mad} MAD/month)"}},
      {"EmploymentFollowUpRecorded",
       {"Suivi emploi {milestone}", "Employment follow-up {milestone}"}},
      {"EntrepreneurshipTrainingCompleted",
       {"Formation à l'entrepreneuriat suivie ({provider})",
        "Entrepreneurship training completed ({provider})"}},
      {"BusinessPlanSubmitted",
       {"Plan d'affaires soumis : {title}", "Business plan submitted: {title}"}},
      {"BusinessPlanReviewed",
       {"Plan d'affaires examiné : {decision}", "Business plan reviewed: {decision}"}},
      {"FinancingDecided",
       {"Financement {kind} ({institution}) : {decision}, {amount_mad} MAD",
        "Financing {kind} ({institution}): {decision}, {amount_mad} MAD"}},
      {"AutoEntrepreneurRegistered",
       {"Immatriculation auto-entrepreneur : {ae_number}",
        "Auto-entrepreneur registered: {ae_number}"}},
      {"ActivityLaunched",
       {"Activité lancée le {launched_on}", "Activity launched on {launched_on}"}},
      {"BusinessFollowUpRecorded",
       {"Visite de suivi {milestone}", "Business follow-up {milestone}"}},
      {"EnrolledInTraining",
       {"Inscription en formation : {course} ({provider})",
        "Enrolled in training: {course} ({provider})"}},
      {"TrainingAttendanceRecorded",
       {"Assiduité en formation relevée au {period_end}",
        "Training attendance recorded to {period_end}"}},
      {"TrainingCompleted",
       {"Formation terminée le {completed_on}", "Training completed on {completed_on}"}},
      {"TrainingDropoutRecorded",
       {"Abandon de formation : {reason}", "Training dropout: {reason}"}},
      {"OnwardOrientationRecorded",
       {"Orientation ultérieure vers {toward}", "Onward orientation toward {toward}"}},
      {"JoinedCooperative",
       {"Adhésion à la coopérative {cooperative_id}", "Joined cooperative {cooperative_id}"}},
      {"CooperativeFounded",
       {"Coopérative fondée : {proposed_name} ({city})",
        "Cooperative founded: {proposed_name} ({city})"}},
      {"OdcoAccompanimentRecorded",
       {"Accompagnement ODCO : {topic}", "ODCO accompaniment: {topic}"}},
      {"CooperativeNameApproved",
       {"Nom de la coopérative approuvé : {approved_name}",
        "Cooperative name approved: {approved_name}"}},
      {"StatutesSigned", {"Statuts signés le {signed_on}", "Statutes signed on {signed_on}"}},
      {"ConstitutiveAssemblyHeld",
       {"Assemblée générale constitutive tenue le {held_on}",
        "Constitutive general assembly held on {held_on}"}},
      {"CapitalPaid",
       {"Capital versé : {capital_mad} MAD ({bank})", "Capital paid: {capital_mad} MAD ({bank})"}},
      {"CooperativeRegistered",
       {"Coopérative immatriculée : {odco_register_number}",
        "Cooperative registered: {odco_register_number}"}},
      {"CooperativeFinancingDecided",
       {"Financement de la coopérative : {decision}, {amount_mad} MAD",
        "Cooperative financing: {decision}, {amount_mad} MAD"}},
      {"CooperativeOperationsStarted",
       {"Coopérative en activité depuis le {started_on}",
        "Cooperative operating since {started_on}"}},
      {"CooperativeFollowUpRecorded",
       {"Suivi de la coopérative {milestone}", "Cooperative follow-up {milestone}"}},
      {"CooperativeAbandoned",
       {"Coopérative abandonnée : {reason}", "Cooperative abandoned: {reason}"}},
  };
  return *t;
}

std::string FieldText(const boost::json::object& data, const std::string& name) {
  auto it = data.find(name);
  if (it == data.end()) return "?";
  const boost::json::value& v = it->value();
  if (v.is_string()) return std::string(v.as_string());
  return boost::json::serialize(v);
}

std::string Fill(const char* text, const boost::json::object& data) {
  std::string out;
  for (const char* p = text; *p; ++p) {
    const char* close = *p == '{' ? std::strchr(p, '}') : nullptr;
    if (!close) {
      out.push_back(*p);
      continue;
    }
    out += FieldText(data, std::string(p + 1, close));
    p = close;
  }
  return out;
}

}  // namespace

EventSummary Summarize(const std::string& type, const boost::json::object& data) {
  auto it = Templates().find(type);
  if (it == Templates().end()) return {"Événement " + type, "Event " + type};
  return {Fill(it->second.fr, data), Fill(it->second.en, data)};
}

}  // namespace piseruma::api::audit
