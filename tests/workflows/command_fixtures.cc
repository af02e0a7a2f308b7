#include "tests/workflows/command_fixtures.h"

#include <boost/json.hpp>
#include <map>

namespace piseruma::testing {
namespace {

boost::json::object Base(const std::string& command, const std::string& d) {
  static const std::map<std::string, std::string> kBodies = {
      {"RegisterParticipant",
       R"({"unhcr_id":"MOR-24C00017","full_name":"Amina Synthétique","sex":"female","date_of_birth":"1990-04-02",
           "nationality":"Syria","city":"Rabat","phone":"+212600000017","education_level":"secondary",
           "household_size":4,"registered_on":"D","languages":["ar","fr"]})"},
      {"RecordConsent", R"({"purpose":"data_processing","recipient":"AMAPPE","given_on":"D"})"},
      {"WithdrawConsent", R"({"purpose":"data_processing","recipient":"AMAPPE","withdrawn_on":"D"})"},
      {"RecordAssessment",
       R"({"kind":"baseline","assessed_on":"D","housing":2,"food":3,"education":2,"health_care":3,"health_status":4,
           "safety":3,"employment":1,"financial_resources":1,"assistance":2,"debt":2,"savings":1,"social_capital":2})"},
      {"OrientToPathway", R"({"pathway":"employment","oriented_on":"D"})"},
      {"AddNote", R"({"text":"Synthetic note","noted_on":"D"})"},
      {"RecordCaseConference", R"({"held_on":"D","decision":"Continue the plan"})"},
      {"RequestTransfer", R"({"to_caseworker_id":"u-cw-2","to_city":"Rabat","reason":"caseload"})"},
      {"AcceptTransfer", R"({"accepted_on":"D"})"},
      {"DeclineTransfer", R"({"reason":"caseload full"})"},
      {"ProposeClosure", R"({"outcome":"dropped_out","closed_on":"D"})"},
      {"ApproveClosure", R"({"approved_on":"D"})"},
      {"RejectClosure", R"({"reason":"endline missing"})"},
      {"ReopenCase", R"({"reason":"returned to the programme","reopened_on":"D"})"},
      {"SendAnapecReferral", R"({"sent_on":"D","agency":"Rabat"})"},
      {"ConfirmAnapecRegistration", R"({"anapec_id":"ANP-0001","confirmed_on":"D"})"},
      {"RecordAnapecRefusal", R"({"reason":"documents missing","refused_on":"D"})"},
      {"RecordWorkshopAttendance", R"({"workshop":"cv_writing","attended_on":"D","hours":3})"},
      {"RecordPlacement",
       R"({"employer_name":"Atelier Synthétique SARL","employer_created_on":"2021-03-01","employer_prior_tahfiz_hires":2,
           "sector":"textile","contract_type":"CDI","start_date":"D","monthly_wage_mad":3200})"},
      {"RecordEmploymentFollowUp", R"({"milestone":"month_3","followed_up_on":"D","still_employed":true,"monthly_wage_mad":3300})"},
      {"RecordEntrepreneurshipTraining", R"({"provider":"AMAPPE","start_date":"D","end_date":"D","hours":40})"},
      {"SubmitBusinessPlan",
       R"({"title":"Épicerie","sector":"retail","activity_type":"commerce","requested_amount_mad":15000,
           "expected_annual_turnover_mad":120000,"submitted_on":"D"})"},
      {"ReviewBusinessPlan", R"({"decision":"approved","reviewed_on":"D","comments":"ok"})"},
      {"RecordFinancing", R"({"kind":"grant","institution":"UNHCR","amount_mad":15000,"decision":"granted","decided_on":"D"})"},
      {"RegisterAutoEntrepreneur", R"({"ae_number":"AE-123456","activity_type":"commerce","registered_on":"D"})"},
      {"LaunchActivity", R"({"launched_on":"D"})"},
      {"RecordBusinessFollowUp", R"({"milestone":"month_3","visited_on":"D","still_active":true,"monthly_revenue_mad":2500})"},
      {"EnrollInTraining", R"({"provider":"OFPPT Rabat","course":"couture","start_date":"D","end_date":"D"})"},
      {"RecordTrainingAttendance", R"({"period_end":"D","hours_attended":30,"hours_planned":40})"},
      {"CompleteTraining", R"({"completed_on":"D","certificate":true})"},
      {"RecordTrainingDropout", R"({"dropped_on":"D","reason":"health"})"},
      {"RecordOnwardOrientation", R"({"toward":"employment","oriented_on":"D"})"},
      {"FoundCooperative", R"({"proposed_name":"Coop Synthétique","city":"Rabat","activity":"couture","founded_on":"D"})"},
      {"RecordOdcoAccompaniment", R"({"session_on":"D","topic":"statuts","hours":2})"},
      {"RecordNameApproval", R"({"approved_name":"Coop Synthétique","certificate_number":"CN-1","approved_on":"D"})"},
      {"SignStatutes", R"({"signed_on":"D"})"},
      {"HoldConstitutiveAssembly", R"({"held_on":"D","members_present":5})"},
      {"RecordCapitalPaid", R"({"bank":"Banque Populaire","paid_on":"D","capital_mad":5000,"share_value_mad":100})"},
      {"RegisterCooperative", R"({"local_register_number":"RL-1","odco_register_number":"ODCO-1","registered_on":"D"})"},
      {"RecordCooperativeFinancing", R"({"kind":"grant","institution":"INDH","amount_mad":50000,"decision":"granted","decided_on":"D"})"},
      {"StartCooperativeOperations", R"({"started_on":"D"})"},
      {"RecordCooperativeFollowUp", R"({"milestone":"month_3","visited_on":"D","members_active":5,"still_operating":true})"},
      {"AbandonCooperative", R"({"reason":"members left","abandoned_on":"D"})"},
  };
  auto it = kBodies.find(command);
  if (it == kBodies.end()) return {};
  boost::json::object o = boost::json::parse(it->second).as_object();
  for (auto& [key, value] : o) {
    if (value.is_string() && value.as_string() == "D") value = d;
  }
  return o;
}

}  // namespace

std::string ValidJson(const std::string& command, const std::string& when, const std::string& date) {
  boost::json::object o = Base(command, date);
  if (!when.empty()) {
    const std::string field = when.substr(0, when.find('='));
    const std::string value = when.substr(when.find('=') + 1);
    if (value == "true" || value == "false") o[field] = value == "true";
    else o[field] = value;
  }
  return boost::json::serialize(o);
}

std::vector<std::pair<std::string, std::string>> AllConsents() {
  return {{"data_processing", "AMAPPE"},
          {"employment_referral", "ANAPEC"},
          {"training_referral", "TRAINING_PROVIDER"},
          {"cooperative_support", "ODCO"},
          {"microfinance_referral", "MFI"}};
}

}  // namespace piseruma::testing
