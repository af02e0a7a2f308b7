#include "engine/subscription.h"

#include <future>
#include <optional>
#include <system_error>

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
  // Two pages, parsed over again and again: the one being handled, and the next one, read
  // meanwhile on a second thread — only while catching up, since a live subscription's
  // next read would just find nothing yet.
  LogPage page, next;
  std::optional<std::future<Status>> ahead;
  while (!stop_.load(std::memory_order_acquire)) {
    Status read_status;
    if (ahead) {
      read_status = ahead->get();
      ahead.reset();
      std::swap(page, next);
    } else {
      read_status = log_.ReadAllInto(read, &page);
    }
    if (!read_status.ok()) {
      std::lock_guard lock(mu_);
      status_ = read_status;
      break;
    }
    read.from_position = page.next_position;
    if (page.events.size() == kPageSize) {
      try {
        ahead = std::async(std::launch::async,
                           [this, read, &next] { return log_.ReadAllInto(read, &next); });
      } catch (const std::system_error&) {
        // No thread to spare right now: the next page is simply read in turn.
      }
    }
    for (const RecordedEvent& ev : page.events) {
      if (stop_.load(std::memory_order_acquire)) break;
      if (!handler_(ev)) {
        stop_.store(true, std::memory_order_release);
        break;
      }
      next_position_.store(ev.envelope.position() + 1, std::memory_order_release);
    }
    if (stop_.load(std::memory_order_acquire)) break;
    next_position_.store(read.from_position, std::memory_order_release);
    if (page.events.empty() && read.from_position > page.head_position) {
      log_.WaitForPosition(read.from_position, kIdleWait);
    }
  }
  if (ahead) ahead->wait();  // it writes into `next`
  done_.store(true, std::memory_order_release);
}

}  // namespace piseruma::engine
