// Simulation: the day-by-day engine behind RunDemo (internal to the demo library).
//
// An agenda of tasks ordered by (simulated day, scheduling order) drives everything. Each
// task is one moment of a participant's or a cooperative's story ("ANAPEC answers",
// "the supervisor reviews the plan"); handling it issues commands through the
// CommandService as the acting user, updates the simulation's mirror of the case, and
// schedules what comes next. A task carries the subject's epoch (bumped when a case is
// closed) and its pathway's generation (bumped when a pathway restarts), so plans made
// before a closure or a lost job simply lapse.
//
// The mirror (Participant, Coop) only decides what to do next; the log stays the truth.
// A command the workflows refuse is counted: the demo's tests require none unexpected.
//
// The member functions are defined across simulation.cc (agenda, clock, commands),
// case_flow.cc (intake, assessments, transfers, closure), employment.cc,
// microproject.cc, training.cc and cooperatives.cc.
//
// Thread-safety: single-threaded; one Simulation per RunDemo call.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "demo/demo.h"
#include "demo/population.h"
#include "demo/rng.h"
#include "engine/clock.h"
#include "workflows/command_service.h"
#include "workflows/deadline_scheduler.h"

namespace piseruma::demo {

using workflows::Day;

enum class Pathway : uint8_t { kEmployment, kMicroproject, kTraining, kCooperative };
enum class Outcome : uint8_t {
  kSelfReliant,
  kPartly,
  kNotYet,
  kDroppedOut,
  kResettled,
  kLostContact
};

// Consents, one bit per (purpose, recipient).
enum Consent : uint8_t {
  kDataProcessing = 1,      // data_processing, AMAPPE
  kEmploymentReferral = 2,  // employment_referral, ANAPEC
  kTrainingReferral = 4,    // training_referral, TRAINING_PROVIDER
  kCooperativeSupport = 8,  // cooperative_support, ODCO
  kMicrofinance = 16,       // microfinance_referral, MFI
};

// Mirrors of the machines' states, named as in the definitions (kNone: never opened).
// clang-format off
enum class CaseStage : uint8_t { kNew, kRegistered, kConsented, kAssessed, kActive, kClosed };
enum class Emp : uint8_t { kNone, kOpen, kReferred, kRefused, kRegistered, kJobSearch, kPlaced, kCompleted };
enum class Micro : uint8_t {
  kNone, kOpen, kTrained, kPlanSubmitted, kRevising, kRejected, kApproved, kFinanced, kAeRegistered,
  kLaunched, kStopped, kEstablished };
enum class Train : uint8_t { kNone, kOpen, kEnrolled, kAttending, kCompleted, kDroppedOut, kOrientedOnward };
enum class Member : uint8_t { kNone, kOpen, kMember };
enum class CoopStage : uint8_t {
  kForming, kNameApproved, kStatutesSigned, kConstituted, kCapitalPaid, kRegistered, kFinanced,
  kOperating, kEstablished, kCeased, kAbandoned };

enum class TaskKind : uint8_t {
  kRegister, kConsent, kBaseline, kOrient, kSri6, kSri12, kExit, kNote, kConference,
  kTransferRequest, kTransferAnswer, kProposeClosure, kDecideClosure, kReopen, kErase, kLeavePool,
  kEmployment, kMicroproject, kTraining,  // a participant's pathway step (Task::arg: a Step)
  kCoop };                                // a cooperative's step (Task::subject: the cooperative)

// The steps of pathways and cooperatives (Task::arg).
enum Step : uint8_t {
  kEmpRefer, kEmpAnswer, kEmpWorkshop, kEmpPlace, kEmpFollowUp3, kEmpFollowUp6, kEmpFollowUp12,
  kEmpLateReview,
  kMicroTrain, kMicroSubmit, kMicroReview, kMicroFinance, kMicroAe, kMicroLaunch, kMicroFollowUp3,
  kMicroFollowUp6, kMicroFollowUp12, kMicroLateReview,
  kTrainEnrol, kTrainAttend, kTrainDropout, kTrainComplete, kTrainOnward,
  kCoopAdvance, kCoopFinance, kCoopFollowUp3, kCoopFollowUp6, kCoopFollowUp12, kCoopLateReview };
// clang-format on

struct Task {
  Day day = 0;
  uint64_t seq = 0;
  uint32_t subject = 0;  // participant or cooperative index
  TaskKind kind{};
  uint8_t arg = 0;     // a Step, a Pathway, an Outcome, …
  uint8_t gen = 0;     // the pathway's generation when scheduled
  uint16_t epoch = 0;  // the subject's epoch when scheduled
  bool operator>(const Task& o) const { return day != o.day ? day > o.day : seq > o.seq; }
};

struct Participant {
  std::string case_id;
  DemoRng rng;
  Day entry_day = 0;
  Day waiting_since = 0;  // in a cooperative pool
  Day micro_since = 0;
  Day job_ends = 0;       // placement: first day without the job
  Day activity_ends = 0;  // micro-project: first day the activity is stopped
  Day training_ends = 0;
  uint32_t coop = UINT32_MAX;
  uint16_t caseworker = 0;  // index into the staff
  uint16_t transfer_to = 0;
  uint16_t epoch = 0;
  uint8_t city = 0;  // index into the programme's cities; changes with a transfer
  uint8_t household_size = 1;
  uint8_t consents = 0;
  uint8_t emp_gen = 0, micro_gen = 0, train_gen = 0;
  uint8_t anapec_tries = 0, workshops_left = 0, plan_rounds = 0, financing_tries = 0,
          activity_type = 0;
  bool woman = false;
  bool closure_proposed = false, transfer_pending = false, erased = false, endline = false,
       in_pool = false;
  bool microcredit = false;  // the kind of financing asked for last
  Outcome proposed = Outcome::kNotYet;
  Pathway first_pathway = Pathway::kEmployment;
  CaseStage stage = CaseStage::kNew;
  Emp emp = Emp::kNone;
  Micro micro = Micro::kNone;
  Train train = Train::kNone;
  Member member = Member::kNone;
};

struct Coop {
  std::string id;
  std::string name;
  DemoRng rng;
  std::vector<uint32_t> members;
  Day ends = 0;  // operating: first day it has ceased
  uint16_t caseworker = 0;
  uint8_t city = 0;
  uint8_t gen = 0;
  uint8_t financing_tries = 0;
  std::optional<CoopStage> abandon_at;  // the stage it is abandoned from, if it is
  CoopStage stage = CoopStage::kForming;
};

struct Employer {
  std::string name, ice, created_on, sector;
  uint32_t prior_tahfiz_hires = 0;
};

class Simulation {
 public:
  Simulation(const DemoOptions& options, engine::EventLog* log, engine::ManualClock* clock,
             std::shared_ptr<const workflows::WorkflowRegistry> registry,
             std::vector<DemoUser> staff, DemoReport* report);
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Lives through the programme. Fails only on an engine error (the log is then unusable).
  Status Run(const DemoProgressFn& progress);

 private:
  enum class Expect { kAccepted, kRefused };
  using Message = google::protobuf::Message;

  // ---- simulation.cc: agenda, clock, commands, staff --------------------------------
  void ScheduleEntries();
  void Schedule(Day day, uint32_t subject, TaskKind kind, uint8_t arg, uint8_t gen, uint16_t epoch);
  // Schedules for `p` on a working day in [today + min_days, today + max_days].
  void Later(Participant& p, int min_days, int max_days, TaskKind kind, uint8_t arg = 0,
             uint8_t gen = 0);
  void LaterCoop(Coop& c, int min_days, int max_days, Step step);
  // Schedules a follow-up due `days` from today: on time (70%), late (20%), missed (10%).
  void FollowUp(DemoRng& rng, int days, uint32_t subject, TaskKind kind, uint8_t arg, uint8_t gen,
                uint16_t epoch);
  // The follow-ups at 3, 6 and 12 months of what starts today (steps `month_3`, the two
  // after it), and the look taken when the 12-month one was missed (the step after those).
  void PlanFollowUps(DemoRng& rng, uint32_t subject, TaskKind kind, Step month_3, uint8_t gen,
                     uint16_t epoch);
  void BeginDay();
  void Dispatch(const Task& task);
  Status RunDeadlines();
  // Executes one command as `user` (a staff index). True when it was accepted.
  bool Execute(const std::string& stream, const char* command, std::shared_ptr<const Message> data,
               uint16_t user, Expect expect = Expect::kAccepted);
  std::string Today() const { return workflows::FormatDate(today_); }
  uint32_t Index(const Participant& p) const {
    return static_cast<uint32_t>(&p - participants_.data());
  }
  uint32_t Index(const Coop& c) const { return static_cast<uint32_t>(&c - coops_.data()); }
  // The regional supervisor of `city`, now and then the national coordinator.
  uint16_t Supervisor(uint8_t city, DemoRng& rng) const;
  uint16_t AnyCaseworker(uint8_t city, DemoRng& rng) const;
  uint8_t CityOf(uint16_t user) const;
  const std::string& CityName(uint8_t city) const { return cities_[city]; }
  int Param(const char* name) const { return static_cast<int>(registry_->Param(name)); }

  // ---- case_flow.cc: intake, assessments, notes, transfers, closure -----------------
  void Register(Participant& p);
  void GiveConsent(Participant& p, Consent consent);
  void WithdrawConsent(Participant& p, Consent consent);
  void FirstConsent(Participant& p);
  void RecordBaseline(Participant& p);
  bool Assess(Participant& p, const char* kind, int level);
  void OrientTo(Participant& p, Pathway pathway, bool first);
  bool PathwayAvailable(const Participant& p, Pathway pathway) const;
  void FollowUpSri(Participant& p, const char* kind, int level);
  void AddNote(Participant& p, const std::vector<std::string>& texts);
  void HoldConference(Participant& p);
  void RequestTransfer(Participant& p);
  void AnswerTransfer(Participant& p);
  void ProposeClosure(Participant& p, Outcome outcome);
  // Plans the case's closure in [min_days, max_days] with an outcome drawn from `choices`.
  void CloseLater(Participant& p, int min_days, int max_days,
                  std::initializer_list<std::pair<Outcome, uint32_t>> choices);
  void DecideClosure(Participant& p);
  void Reopen(Participant& p);
  void Erase(Participant& p);

  // ---- employment.cc ----------------------------------------------------------------
  void StartEmployment(Participant& p);
  void EmploymentStep(Participant& p, Step step);
  void ReferToAnapec(Participant& p);
  void AnapecAnswers(Participant& p);
  void AttendWorkshop(Participant& p);
  void SearchJob(Participant& p);
  void Place(Participant& p);
  void EmploymentFollowUp(Participant& p, int milestone);

  // ---- microproject.cc --------------------------------------------------------------
  void StartMicroproject(Participant& p);
  void MicroprojectStep(Participant& p, Step step);
  void TrainEntrepreneur(Participant& p);
  void SubmitPlan(Participant& p);
  void ReviewPlan(Participant& p);
  void Finance(Participant& p);
  void RegisterAutoEntrepreneur(Participant& p);
  void Launch(Participant& p);
  void BusinessFollowUp(Participant& p, int milestone);

  // ---- training.cc ------------------------------------------------------------------
  void StartTraining(Participant& p);
  void TrainingStep(Participant& p, Step step);
  void Enrol(Participant& p);
  void RecordAttendance(Participant& p);
  void DropOut(Participant& p);
  void CompleteTraining(Participant& p);
  void OrientOnward(Participant& p);

  // ---- cooperatives.cc --------------------------------------------------------------
  void JoinPool(Participant& p);
  void LeavePool(Participant& p);
  void GiveUpWaiting(Participant& p);
  void FormCooperatives();
  void Found(uint8_t city, const std::vector<uint32_t>& members);
  void CooperativeStep(Coop& c, Step step);
  void AdvanceCooperative(Coop& c);
  void FinanceCooperative(Coop& c);
  void StartOperations(Coop& c);
  void CooperativeFollowUp(Coop& c, int milestone);
  void CooperativeEnded(Coop& c);

  const DemoOptions options_;
  engine::ManualClock* clock_;
  std::shared_ptr<const workflows::WorkflowRegistry> registry_;
  workflows::CommandService service_;
  workflows::DeadlineScheduler scheduler_;
  DemoReport* report_;

  std::vector<std::string> cities_;
  Population population_;
  std::vector<DemoUser> staff_;
  std::vector<workflows::UserContext> users_;
  std::vector<std::vector<uint16_t>> caseworkers_by_city_;
  std::vector<uint16_t> supervisor_by_city_;
  uint16_t coordinator_ = 0, admin_ = 0;
  std::vector<Employer> employers_;

  std::vector<Participant> participants_;
  std::vector<Coop> coops_;
  std::vector<std::vector<uint32_t>> pools_;  // per city: members waiting for a cooperative
  std::vector<uint8_t> pool_target_;          // per city: founders the next cooperative waits for
  DemoRng city_rng_;

  std::priority_queue<Task, std::vector<Task>, std::greater<Task>> agenda_;
  std::vector<uint32_t> tasks_per_day_;
  uint64_t next_seq_ = 0;
  uint64_t next_command_ = 0;
  uint64_t next_request_ref_ = 0;
  Day start_ = 0, end_ = 0, today_ = 0;
  int64_t cursor_us_ = 0, spacing_us_ = 0, day_end_us_ = 0;
  Status fatal_;
};

// The first day something started on `start` (a job, an activity, a cooperative) is over:
// within its first 3 months, between 3 and 6, between 6 and 12 (each a percentage), or
// never for the rest.
Day EndsAfter(DemoRng& rng, Day start, uint32_t by_3m, uint32_t by_6m, uint32_t by_12m);

const char* OutcomeName(Outcome outcome);
const char* PathwayName(Pathway pathway);

}  // namespace piseruma::demo
