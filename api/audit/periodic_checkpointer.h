// PeriodicCheckpointer: signs a checkpoint of the log's head every `period` (daily in
// `piseruma serve`) on its own thread, when anything was appended since the last one.
//
// Thread-safety: Start and destruction from one thread; the worker owns nothing shared
// but the (thread-safe) log. Destruction wakes the worker and joins it.
//
//   PeriodicCheckpointer daily(&log, std::chrono::hours(24), [](const std::string& e) {
//   log_error(e); });
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "engine/event_log.h"
#include "engine/thread_annotations.h"

namespace piseruma::api::audit {

class PeriodicCheckpointer {
 public:
  // `log` is not owned and must outlive this. `on_error` (may be empty) hears failures.
  PeriodicCheckpointer(engine::EventLog* log, std::chrono::milliseconds period,
                       std::function<void(const std::string&)> on_error);
  ~PeriodicCheckpointer();
  PeriodicCheckpointer(const PeriodicCheckpointer&) = delete;
  PeriodicCheckpointer& operator=(const PeriodicCheckpointer&) = delete;

  // Signs now if the head moved since the last checkpoint; what the worker does each period.
  Status SignIfNeeded();

 private:
  void Run();

  engine::EventLog* log_;
  const std::chrono::milliseconds period_;
  std::function<void(const std::string&)> on_error_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread worker_;  // last: started after everything it reads
};

}  // namespace piseruma::api::audit
