// Clock: where the engine and the workflows read the time, so tests and the demo control it.
//
// Thread-safety: implementations must be safe to call from any thread.
//
//   SystemClock clock;                    // wall time, UTC
//   ManualClock test_clock(1'700'000'000'000'000);
//   test_clock.Advance(std::chrono::hours(24 * 15));   // fifteen days later
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace piseruma::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  // UTC microseconds since the Unix epoch.
  virtual int64_t NowMicros() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMicros() const override;
  // The process-wide instance; never destroyed.
  static SystemClock* Default();
};

// A clock that moves only when told; for tests and the demo's simulated months.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_micros) : now_(start_micros) {}
  int64_t NowMicros() const override { return now_.load(std::memory_order_acquire); }
  void Set(int64_t micros) { now_.store(micros, std::memory_order_release); }
  void Advance(std::chrono::microseconds d) { now_.fetch_add(d.count(), std::memory_order_acq_rel); }

 private:
  std::atomic<int64_t> now_;
};

// "2026-11-29T04:48:43.123456Z"
std::string FormatRfc3339Micros(int64_t micros);

}  // namespace piseruma::engine
