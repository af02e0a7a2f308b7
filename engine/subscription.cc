#include "engine/subscription.h"

namespace piseruma::engine {
namespace {
// How often an idle subscription re-checks whether it was stopped.
constexpr std::chrono::milliseconds kIdleWait(100);
constexpr size_t kPageSize = 1024;
}  // namespace

CatchUpSubscription::CatchUpSubscription(const EventLog& log, LogReadOptions from, Handler handler)
    : log_(log),
      options_(std::move(from)),
      handler_(std::move(handler)),
      next_position_(std::max<uint64_t>(options_.from_position, 1)),
      thread_([this] { Run(); }) {}

CatchUpSubscription::~CatchUpSubscription() { Stop(); }

void CatchUpSubscription::Stop() {
  stop_.store(true, std::memory_order_release);
  if (thread_.joinable()) thread_.join();
}

Status CatchUpSubscription::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void CatchUpSubscription::Run() {
  LogReadOptions read = options_;
  read.limit = kPageSize;
  read.from_position = next_position_.load();
  while (!stop_.load(std::memory_order_acquire)) {
    auto page = log_.ReadAll(read);
    if (!page.ok()) {
      std::lock_guard lock(mu_);
      status_ = page.status();
      break;
    }
    for (const RecordedEvent& ev : page->events) {
      if (stop_.load(std::memory_order_acquire)) break;
      if (!handler_(ev)) {
        stop_.store(true, std::memory_order_release);
        break;
      }
      next_position_.store(ev.envelope.position() + 1, std::memory_order_release);
    }
    if (stop_.load(std::memory_order_acquire)) break;
    read.from_position = page->next_position;
    next_position_.store(read.from_position, std::memory_order_release);
    if (page->events.empty() && read.from_position > page->head_position) {
      log_.WaitForPosition(read.from_position, kIdleWait);
    }
  }
  done_.store(true, std::memory_order_release);
}

}  // namespace piseruma::engine
