#include "api/metrics.h"

#include <sstream>

namespace piseruma::api {

void Metrics::Record(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard lock(mu_);
  out << "# HELP piseruma_http_requests_total HTTP requests by route and status.\n"
      << "# TYPE piseruma_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "piseruma_http_requests_total{route=\"" << key.first << "\",code=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# HELP piseruma_http_request_duration_seconds Request latency by route.\n"
      << "# TYPE piseruma_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "piseruma_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} "
          << h.counts[i] << "\n";
    }
    out << "piseruma_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
        << "piseruma_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
        << "piseruma_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  return out.str();
}

}  // namespace piseruma::api
