#include "engine/subscription.h"

#include <future>
#include <optional>

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
  // The page after the one being handled, read meanwhile; only while catching up, since
  // a live subscription's next read would just find nothing yet.
  std::optional<std::future<Result<LogPage>>> ahead;
  while (!stop_.load(std::memory_order_acquire)) {
    Result<LogPage> page = ahead ? ahead->get() : log_.ReadAll(read);
    ahead.reset();
    if (!page.ok()) {
      std::lock_guard lock(mu_);
      status_ = page.status();
      break;
    }
    read.from_position = page->next_position;
    if (page->events.size() == kPageSize) {
      ahead = std::async(std::launch::async, [this, read] { return log_.ReadAll(read); });
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
    next_position_.store(read.from_position, std::memory_order_release);
    if (page->events.empty() && read.from_position > page->head_position) {
      log_.WaitForPosition(read.from_position, kIdleWait);
    }
  }
  done_.store(true, std::memory_order_release);  // a read still ahead is awaited on return
}

}  // namespace piseruma::engine
