#include "workflows/deadline_scheduler.h"

#include "workflows/proto/commands.pb.h"
#include "workflows/proto/events.pb.h"

namespace piseruma::workflows {
namespace {
constexpr std::chrono::milliseconds kCatchUpWait(5000);
}  // namespace

DeadlineScheduler::DeadlineScheduler(const CommandService* service) : service_(service) {
  subscription_ = std::make_unique<engine::CatchUpSubscription>(
      service_->log(), engine::LogReadOptions{.from_position = 1},
      [this](const engine::RecordedEvent& e) { return OnEvent(e); });
}

DeadlineScheduler::~DeadlineScheduler() {
  Stop();
  subscription_->Stop();
}

bool DeadlineScheduler::OnEvent(const engine::RecordedEvent& e) {
  if (e.envelope.stream_id().empty() || e.envelope.stream_id()[0] == '$') return true;
  DomainEvent header;
  if (!header.ParseFromString(e.envelope.payload())) return true;  // not a workflow event
  if (header.deadlines_met().empty() && header.deadlines_started().empty() &&
      e.envelope.event_type() != "DeadlineOverdue") {
    return true;
  }
  std::lock_guard lock(mu_);
  auto& stream = open_[e.envelope.stream_id()];
  for (const auto& met : header.deadlines_met()) stream.erase(met);
  for (const auto& s : header.deadlines_started()) stream[s.name()] = {s.due_on(), false};
  if (e.envelope.event_type() == "DeadlineOverdue") {
    MarkDeadlineOverdue m;
    if (header.data().UnpackTo(&m)) {
      auto it = stream.find(m.deadline());
      if (it != stream.end()) it->second.second = true;
    }
  }
  if (stream.empty()) open_.erase(e.envelope.stream_id());
  return true;
}

size_t DeadlineScheduler::OpenCount() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [stream, deadlines] : open_) n += deadlines.size();
  return n;
}

Result<size_t> DeadlineScheduler::RunOnce() {
  const uint64_t head = service_->log().HeadPosition();
  const auto until = std::chrono::steady_clock::now() + kCatchUpWait;
  while (subscription_->next_position() <= head && std::chrono::steady_clock::now() < until) {
    service_->log().WaitForPosition(head, std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (subscription_->next_position() <= head) {
    return Status::Unavailable("the deadline index is behind the log; will retry");
  }
  const Day today = service_->Today();
  std::vector<std::tuple<std::string, std::string, std::string>> due;  // stream, name, date
  {
    std::lock_guard lock(mu_);
    for (const auto& [stream, deadlines] : open_) {
      for (const auto& [name, info] : deadlines) {
        auto day = ParseDate(info.first);
        if (!info.second && day && *day < today) due.emplace_back(stream, name, info.first);
      }
    }
  }
  size_t fired = 0;
  UserContext system{"system:deadlines", "system", {}};
  for (const auto& [stream, name, date] : due) {
    auto cmd = std::make_shared<MarkDeadlineOverdue>();
    cmd->set_deadline(name);
    cmd->set_due_on(date);
    CommandRequest req{.stream_id = stream, .command = "MarkDeadlineOverdue", .data = cmd,
                       .command_id = "deadline:" + stream + ":" + name + ":" + date, .user = system};
    auto r = service_->Execute(req);
    if (r.ok() && !r->append.replayed) ++fired;
    // A deadline met in the meantime is refused by the decider: nothing to do.
    if (!r.ok() && r.status().code() != StatusCode::kFailedPrecondition) return r.status();
  }
  return fired;
}

void DeadlineScheduler::Start(std::chrono::milliseconds period) {
  stop_ = false;
  loop_ = std::thread([this, period] {
    std::unique_lock lock(loop_mu_);
    while (!stop_) {
      lock.unlock();
      RunOnce().status().ToString();  // failures are retried on the next tick
      lock.lock();
      loop_cv_.wait_for(lock, period, [this] { return stop_.load(); });
    }
  });
}

void DeadlineScheduler::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    stop_ = true;
  }
  loop_cv_.notify_all();
  if (loop_.joinable()) loop_.join();
}

}  // namespace piseruma::workflows
