// Metrics: request counts and latencies by route, rendered as Prometheus text.
//
// Thread-safety: Record() and Render() are thread-safe (one mutex; a request records once).
//
//   metrics.Record("GET /v1/cases/{case_id}", 200, 0.0031);
//   std::string text = metrics.Render();   // piseruma_http_requests_total{route=…,code=…} …
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "engine/thread_annotations.h"

namespace piseruma::api {

class Metrics {
 public:
  void Record(const std::string& route, int status, double seconds) EXCLUDES(mu_);
  // The request metrics; callers append their own gauges.
  std::string Render() const EXCLUDES(mu_);

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                      0.05,   0.1,   0.25,  0.5,   1.0,  5.0};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_ GUARDED_BY(mu_);
  std::map<std::string, Histogram> latency_ GUARDED_BY(mu_);
};

}  // namespace piseruma::api
