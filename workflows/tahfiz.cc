#include "workflows/tahfiz.h"

#include <algorithm>

#include "workflows/dates.h"

namespace piseruma::workflows {
namespace {

void Add(TahfizAssessment* a, const char* name, bool passed, std::string fr, std::string en) {
  TahfizCondition* c = a->add_conditions();
  c->set_name(name);
  c->set_passed(passed);
  c->set_explanation_fr(std::move(fr));
  c->set_explanation_en(std::move(en));
}

}  // namespace

TahfizAssessment AssessTahfiz(const RecordPlacement& p, const ProgrammeParameters& params) {
  TahfizAssessment a;
  const Day created = ParseDate(p.employer_created_on()).value_or(0);
  const Day start = ParseDate(p.start_date()).value_or(0);
  const Day from = ParseDate(params.tahfiz_window_start()).value_or(0);
  const Day to = ParseDate(params.tahfiz_window_end()).value_or(0);
  const std::string window = params.tahfiz_window_start() + " – " + params.tahfiz_window_end();

  const bool in_window = created >= from && created <= to;
  Add(&a, "employer_created_in_window", in_window,
      std::string("Employeur créé le ") + p.employer_created_on() + (in_window ? ", dans" : ", hors de") +
          " la période " + window,
      std::string("Employer created on ") + p.employer_created_on() + (in_window ? ", within" : ", outside") +
          " the window " + window);

  const bool cdi = p.contract_type() == "CDI";
  Add(&a, "permanent_contract", cdi,
      cdi ? "Contrat à durée indéterminée (CDI)" : "Le contrat (" + p.contract_type() + ") n'est pas un CDI",
      cdi ? "Permanent contract (CDI)" : "The contract (" + p.contract_type() + ") is not permanent (CDI)");

  const uint32_t months = params.tahfiz_hire_within_months();
  const Day limit = AddMonths(created, static_cast<int>(months));
  const bool in_time = start >= created && start <= limit;
  Add(&a, "hired_within_window", in_time,
      "Embauche le " + p.start_date() + (in_time ? ", dans les " : ", au-delà des ") + std::to_string(months) +
          " mois suivant la création (limite " + FormatDate(limit) + ")",
      "Hired on " + p.start_date() + (in_time ? ", within " : ", more than ") + std::to_string(months) +
          " months after the employer's creation (limit " + FormatDate(limit) + ")");

  const uint32_t max = params.tahfiz_max_hires_per_employer();
  const bool quota = p.employer_prior_tahfiz_hires() < max;
  Add(&a, "employer_quota", quota,
      std::to_string(p.employer_prior_tahfiz_hires()) + " embauche(s) TAHFIZ déjà faite(s) ; plafond " + std::to_string(max),
      std::to_string(p.employer_prior_tahfiz_hires()) + " earlier TAHFIZ hire(s); the limit is " + std::to_string(max));

  a.set_eligible(in_window && cdi && in_time && quota);
  if (a.eligible()) {
    a.set_exempt_monthly_wage_mad(std::min(p.monthly_wage_mad(), params.tahfiz_wage_cap_mad()));
    a.set_benefit_ends_on(FormatDate(AddMonths(start, 24)));
  }
  return a;
}

}  // namespace piseruma::workflows
