#include "api/rate_limiter.h"

namespace piseruma::api {

bool FailureLimiter::Blocked(const std::string& address) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(address);
  if (it == entries_.end()) return false;
  if (Clock::now() - it->second.since > window_) {
    entries_.erase(it);
    return false;
  }
  return it->second.failures >= max_;
}

void FailureLimiter::Fail(const std::string& address) {
  std::lock_guard lock(mu_);
  if (entries_.size() > 100'000) entries_.clear();  // bounded memory under a flood of addresses
  Entry& e = entries_[address];
  if (e.failures == 0 || Clock::now() - e.since > window_) e = Entry{0, Clock::now()};
  ++e.failures;
}

}  // namespace piseruma::api
