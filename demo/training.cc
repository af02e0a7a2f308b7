// The vocational-training pathway: enrolment with a provider, monthly attendance, then
// completion (with or without a certificate; sometimes recorded late) or a drop-out, and an
// onward orientation to employment or a micro-project.
#include "demo/simulation.h"
#include "workflows/proto/commands.pb.h"

namespace piseruma::demo {
namespace {

namespace wf = workflows;

constexpr double kDropsOut = 0.20;
constexpr double kOutcomeLate = 0.25;  // recorded after the training_outcome deadline
constexpr double kCertified = 0.80;
constexpr double kOrientedOnward = 0.85;

const std::vector<std::string> kCourses = {"couture et confection",   "cuisine et pâtisserie",
                                           "électricité du bâtiment", "coiffure et esthétique",
                                           "informatique de bureau",  "aide-soignant·e",
                                           "plomberie sanitaire",     "logistique et magasinage"};
const std::vector<std::string> kDropoutNotes = {
    "Abandon de la formation : contraintes familiales, à recontacter dans trois mois.",
    "Abandon de la formation : horaires incompatibles avec un travail journalier.",
};
const char* const kReasons[] = {"employment_found", "health", "family", "moved",
                                "lost_interest",    "other"};

}  // namespace

void Simulation::StartTraining(Participant& p) {
  p.train = Train::kOpen;
  ++p.train_gen;
  Later(p, 7, 30, TaskKind::kTraining, kTrainEnrol, p.train_gen);
}

void Simulation::TrainingStep(Participant& p, Step step) {
  switch (step) {
    case kTrainEnrol:
      Enrol(p);
      break;
    case kTrainAttend:
      RecordAttendance(p);
      break;
    case kTrainDropout:
      DropOut(p);
      break;
    case kTrainComplete:
      CompleteTraining(p);
      break;
    case kTrainOnward:
      OrientOnward(p);
      break;
    default:
      break;
  }
}

void Simulation::Enrol(Participant& p) {
  if (p.train != Train::kOpen) return;
  const Day start = today_ + p.rng.Between(0, 14);
  const Day end = start + p.rng.Between(60, 180);
  auto m = std::make_shared<wf::EnrollInTraining>();
  static const std::vector<std::string> kProviders = {
      "Centre OFPPT de ", "Entraide nationale — centre de ", "Centre de formation partenaire, "};
  m->set_provider(p.rng.OneOf(kProviders) + CityName(p.city));
  m->set_course(p.rng.OneOf(kCourses));
  m->set_start_date(workflows::FormatDate(start));
  m->set_end_date(workflows::FormatDate(end));
  if (!Execute(p.case_id, "EnrollInTraining", m, p.caseworker)) return;
  p.train = Train::kEnrolled;
  p.training_ends = end;
  const uint32_t index = Index(p);
  Schedule(start + p.rng.Between(26, 32), index, TaskKind::kTraining, kTrainAttend, p.train_gen,
           p.epoch);
  if (p.rng.Chance(kDropsOut)) {
    Schedule(start + p.rng.Between(0, end - start - 7), index, TaskKind::kTraining, kTrainDropout,
             p.train_gen, p.epoch);
  }
  const Day outcome =
      end + (p.rng.Chance(kOutcomeLate) ? p.rng.Between(15, 40) : p.rng.Between(0, 12));
  Schedule(outcome, index, TaskKind::kTraining, kTrainComplete, p.train_gen, p.epoch);
}

void Simulation::RecordAttendance(Participant& p) {
  if ((p.train != Train::kEnrolled && p.train != Train::kAttending) || today_ > p.training_ends)
    return;
  const int64_t planned = p.rng.Between(60, 100);
  auto m = std::make_shared<wf::RecordTrainingAttendance>();
  m->set_period_end(Today());
  m->set_hours_planned(static_cast<double>(planned));
  m->set_hours_attended(
      static_cast<double>(std::max<int64_t>(1, planned * p.rng.Between(50, 100) / 100)));
  if (!Execute(p.case_id, "RecordTrainingAttendance", m, p.caseworker)) return;
  p.train = Train::kAttending;
  const Day next = today_ + p.rng.Between(27, 33);
  if (next <= p.training_ends)
    Schedule(next, Index(p), TaskKind::kTraining, kTrainAttend, p.train_gen, p.epoch);
}

void Simulation::DropOut(Participant& p) {
  if (p.train != Train::kEnrolled && p.train != Train::kAttending) return;
  const size_t reason = p.rng.Pick({20, 15, 25, 10, 20, 10});
  auto m = std::make_shared<wf::RecordTrainingDropout>();
  m->set_dropped_on(Today());
  m->set_reason(kReasons[reason]);
  if (!Execute(p.case_id, "RecordTrainingDropout", m, p.caseworker)) return;
  p.train = Train::kDroppedOut;
  if (p.rng.Chance(0.5)) AddNote(p, kDropoutNotes);
  if (reason == 0) {  // found a job
    CloseLater(p, 7, 30, {{Outcome::kPartly, 70}, {Outcome::kSelfReliant, 30}});
  } else if (reason == 3) {  // moved away
    CloseLater(p, 7, 30, {{Outcome::kResettled, 1}});
  } else if (PathwayAvailable(p, Pathway::kEmployment) && p.rng.Chance(0.35)) {
    Later(p, 10, 40, TaskKind::kOrient, static_cast<uint8_t>(Pathway::kEmployment));
  } else {
    CloseLater(p, 20, 60, {{Outcome::kDroppedOut, 60}, {Outcome::kNotYet, 40}});
  }
}

void Simulation::CompleteTraining(Participant& p) {
  if (p.train != Train::kEnrolled && p.train != Train::kAttending) return;
  auto m = std::make_shared<wf::CompleteTraining>();
  m->set_completed_on(Today());
  m->set_certificate(p.rng.Chance(kCertified));
  if (!Execute(p.case_id, "CompleteTraining", m, p.caseworker)) return;
  p.train = Train::kCompleted;
  if (p.rng.Chance(kOrientedOnward)) {
    Later(p, 3, 20, TaskKind::kTraining, kTrainOnward, p.train_gen);
  } else {
    CloseLater(p, 30, 120, {{Outcome::kPartly, 50}, {Outcome::kNotYet, 50}});
  }
}

void Simulation::OrientOnward(Participant& p) {
  if (p.train != Train::kCompleted) return;
  Pathway toward = p.rng.Chance(0.7) ? Pathway::kEmployment : Pathway::kMicroproject;
  if (!PathwayAvailable(p, toward)) {
    toward = toward == Pathway::kEmployment ? Pathway::kMicroproject : Pathway::kEmployment;
  }
  if (!PathwayAvailable(p, toward)) {
    CloseLater(p, 14, 60, {{Outcome::kPartly, 50}, {Outcome::kNotYet, 50}});
    return;
  }
  auto m = std::make_shared<wf::RecordOnwardOrientation>();
  m->set_toward(PathwayName(toward));
  m->set_oriented_on(Today());
  if (!Execute(p.case_id, "RecordOnwardOrientation", m, p.caseworker)) return;
  p.train = Train::kOrientedOnward;
  Later(p, 0, 10, TaskKind::kOrient, static_cast<uint8_t>(toward));
}

}  // namespace piseruma::demo
