// FailureLimiter: slows down token guessing. After `max_failures` failed sign-ins from one
// address within `window`, that address is refused (HTTP 429) until the window passes.
//
// Thread-safety: thread-safe.
//
//   if (limiter.Blocked(ip)) return 429;
//   if (!valid) limiter.Fail(ip);
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

#include "engine/thread_annotations.h"

namespace piseruma::api {

class FailureLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  FailureLimiter(int max_failures, std::chrono::seconds window) : max_(max_failures), window_(window) {}

  bool Blocked(const std::string& address) EXCLUDES(mu_);
  void Fail(const std::string& address) EXCLUDES(mu_);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point since;
  };
  const int max_;
  const std::chrono::seconds window_;
  std::mutex mu_;
  std::map<std::string, Entry> entries_ GUARDED_BY(mu_);
};

}  // namespace piseruma::api
