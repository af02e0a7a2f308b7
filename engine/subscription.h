// CatchUpSubscription: delivers the global log from a position — history first, then live
// events as they are committed — in position order, with no gap and no duplicate.
//
// It runs on its own thread and reads committed events from RocksDB; the writer only
// signals that the head moved. A slow handler therefore delays only its own subscription,
// never an append. While it catches up (a page came back full), the next page is read on
// a second thread as the handler folds the current one, so reading and folding overlap.
//
// Thread-safety: the handler runs on the subscription's thread, one event at a time.
// Stop() and the destructor may be called from any other thread.
//
//   CatchUpSubscription sub(log, {.from_position = 1}, [&](const RecordedEvent& e) {
//     fold(e);
//     return true;  // false stops the subscription
//   });
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>

#include "engine/event_log.h"
#include "engine/thread_annotations.h"

namespace piseruma::engine {

class CatchUpSubscription {
 public:
  using Handler = std::function<bool(const RecordedEvent&)>;

  // REQUIRES: `log` outlives the subscription. Filters in `from` apply (types, prefix).
  CatchUpSubscription(const EventLog& log, LogReadOptions from, Handler handler);
  CatchUpSubscription(const CatchUpSubscription&) = delete;
  CatchUpSubscription& operator=(const CatchUpSubscription&) = delete;
  ~CatchUpSubscription();

  // Stops after the event being handled; returns once the thread has ended.
  void Stop();
  // The next position it will read (everything before was delivered or filtered out).
  uint64_t next_position() const { return next_position_.load(std::memory_order_acquire); }
  bool running() const { return !done_.load(std::memory_order_acquire); }
  // Why it stopped by itself (a read error), or OK.
  Status status() const EXCLUDES(mu_);

 private:
  void Run();

  const EventLog& log_;
  LogReadOptions options_;
  Handler handler_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::atomic<uint64_t> next_position_;
  mutable std::mutex mu_;
  Status status_ GUARDED_BY(mu_);
  std::thread thread_;  // last: starts after the fields above
};

}  // namespace piseruma::engine
