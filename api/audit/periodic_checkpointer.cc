#include "api/audit/periodic_checkpointer.h"

#include "api/audit/checkpoint_signer.h"

namespace piseruma::api::audit {

PeriodicCheckpointer::PeriodicCheckpointer(engine::EventLog* log, std::chrono::milliseconds period,
                                           std::function<void(const std::string&)> on_error)
    : log_(log), period_(period), on_error_(std::move(on_error)), worker_([this] { Run(); }) {}

PeriodicCheckpointer::~PeriodicCheckpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

Status PeriodicCheckpointer::SignIfNeeded() {
  PSR_ASSIGN_OR_RETURN(auto last, LatestCheckpoint(*log_));
  const uint64_t head = log_->HeadPosition();
  if (head == 0 || (last && head <= last->stored_at))
    return Status::Ok();  // nothing new but the checkpoint itself
  PSR_ASSIGN_OR_RETURN(auto signer, CheckpointSigner::Open(log_->options().data_dir));
  engine::Actor actor;
  actor.set_user_id("system:daily-checkpoint");
  actor.set_role("system");
  return signer->SignHead(log_, actor).status();
}

void PeriodicCheckpointer::Run() {
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, period_, [this] { return stopping_; })) {
    lock.unlock();
    Status s = SignIfNeeded();
    if (!s.ok() && on_error_) on_error_("daily checkpoint: " + s.ToString());
    lock.lock();
  }
}

}  // namespace piseruma::api::audit
