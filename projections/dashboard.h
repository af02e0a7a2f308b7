// DashboardProjection: the steering committee's numbers, precomputed as events arrive, so a
// dashboard query only reads counts (dashboard_view.h renders and suppresses them).
//
// It keeps, per case, only what moves its counts — sex, age group, nationality,
// disability, specific needs (yes/no), city, workflow states, outcome, SRI scores, a
// pending ANAPEC referral's date — never a personal field, and these tables (TallyBook):
//
//   funnel.<workflow>.<dim>   state × dim value   participants now at each stage
//   entered.<workflow>        state × month       moves into each stage (also "cooperative")
//   outcomes.month            outcome × month     closed cases, by month of closure
//   outcomes.<dim>            outcome × dim value
//   sri                       domain × {n, baseline_sum, endline_sum}  cases with both
//   placements.month          tahfiz_eligible|not_tahfiz_eligible × month
//   placements.<dim>          same × dim value
//   anapec.turnaround         month × days (4 digits)   answers, by days since the referral
//   anapec.answers            confirmed|refused × month
//   financing.count           "<microproject|cooperative>.<grant|microcredit>" × month
//   financing.mad_centimes    same × month              granted amounts, in centimes
//   training_dropouts.month   reason × month
//   cooperatives.now          state × city        cooperatives now in each state
//
// dim ∈ sex, age_group, nationality, disability, specific_needs, city. Months are the month
// an event was recorded (Morocco time); turnaround days come from the dates entered.
//
// Thread-safety: see projection.h.
//
//   StreamIndex streams;
//   DashboardProjection dashboard(&streams);
//   dashboard.Apply(event);  // see runtime.h: the runtime feeds it
//   auto cells = dashboard.tallies().Snapshot();
#pragma once

#include <array>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "projections/projection.h"
#include "projections/proto/rows.pb.h"
#include "projections/tally.h"

namespace piseruma::projections {

// The disaggregation dimensions (UNHCR Age, Gender and Diversity), in display order.
inline constexpr std::array<std::string_view, 6> kDimensions = {
    "sex", "age_group", "nationality", "disability", "specific_needs", "city"};
// The SRI's twelve domains, in the order of RecordAssessment's fields.
const std::vector<std::string>& SriDomains();

class DashboardProjection final : public Projection {
 public:
  static constexpr std::string_view kName = "dashboard";
  // REQUIRES: `streams` outlives the projection.
  explicit DashboardProjection(StreamIndex* streams);
  std::string_view name() const override { return kName; }
  uint32_t version() const override { return 1; }

  void Clear() override;
  Status LoadRow(std::string_view key, std::string_view value) override;
  void Apply(const ProjectionEvent& event) override;
  void WriteChanges(RowWriter* out) override;

  const TallyBook& tallies() const { return book_; }
  size_t case_count() const { return case_count_; }

 private:
  using Label = TallyBook::Label;
  static constexpr size_t kDims = kDimensions.size();
  static constexpr size_t kSri = 12;

  struct Person {
    std::array<Label, kDims> dims{};
    std::vector<std::pair<uint32_t, Label>> machines;  // workflow index → state
    Label proposed_outcome = 0;                        // 0 is the empty label: none
    Label outcome = 0;
    Label closed_month = 0;
    std::array<uint32_t, kSri> baseline{};
    std::array<uint32_t, kSri> endline{};
    bool has_baseline = false;
    bool has_endline = false;
    workflows::Day anapec_sent_day = -1;
    Label transfer_to_city = 0;
    bool present = false;
    bool dirty = false;
  };
  struct Cooperative {
    Label state = 0;
    Label city = 0;
    bool dirty = false;
  };
  struct Workflow {
    std::string name;
    std::array<TallyBook::TableId, kDims> funnel;
    TallyBook::TableId entered;
  };

  uint32_t WorkflowIndex(const std::string& name);
  Person& PersonAt(uint32_t stream);
  Label Month(const std::string& month);
  void ApplyCase(const ProjectionEvent& e);
  void ApplyCooperative(const ProjectionEvent& e);
  void ApplyFlows(Person& p, const ProjectionEvent& e);
  void MoveWorkflow(Person& p, uint32_t workflow, Label to, Label month);
  // Adds (sign +1) or removes (-1) what a person's attributes contribute: their stage in
  // every workflow, and their outcome while closed.
  void ContributeAll(const Person& p, int sign);
  void ContributeOutcome(const Person& p, int sign);
  void ContributeSri(const Person& p, int sign);
  std::array<Label, kDims> Dims(const std::string& sex, const std::string& age_group,
                                const std::string& nationality, bool disability,
                                bool specific_needs, const std::string& city);
  DashCase ToRow(const Person& p) const;
  Person FromRow(const DashCase& row);

  TallyBook book_;
  std::vector<Workflow> workflows_;
  std::unordered_map<std::string, uint32_t> workflow_index_;
  StreamIndex* streams_;
  std::vector<Person> cases_;  // by stream number
  size_t case_count_ = 0;
  std::unordered_map<std::string, Cooperative> coops_;  // few: by id
  std::vector<uint32_t> dirty_cases_;
  std::vector<const std::string*> dirty_coops_;  // keys of coops_
  std::string month_;                            // the last month interned, and its label
  Label month_label_ = 0;

  // Tables and labels used on every event, interned once.
  std::array<TallyBook::TableId, kDims> outcomes_by_dim_{};
  std::array<TallyBook::TableId, kDims> placements_by_dim_{};
  TallyBook::TableId outcomes_month_, sri_, placements_month_, anapec_turnaround_, anapec_answers_,
      financing_count_, financing_mad_, dropouts_month_, coops_now_, coops_entered_;
  Label n_, baseline_sum_, endline_sum_, tahfiz_, not_tahfiz_, confirmed_, refused_;
  std::array<Label, kSri> sri_labels_{};
};

}  // namespace piseruma::projections
