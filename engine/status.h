// Status and Result<T>: how piseruma reports expected failures across component boundaries.
//
// Expected failures (a version conflict, a bad field, an unknown stream) are values, never
// exceptions. Each code maps to one HTTP status in api/ (see ToHttpStatus there):
//   kInvalidArgument → 400, kPermissionDenied → 403, kNotFound → 404, kAborted (version
//   conflict) → 409, kFailedPrecondition (illegal transition, failed guard) → 422,
//   kResourceExhausted → 413/429, kUnavailable/kInternal → 503/500.
// A Status may carry field violations (every failed rule, for a 422) and, for a conflict,
// the stream's actual version.
//
// Thread-safety: plain values; intentionally copyable and movable.
//
//   Result<int> r = ParsePort("8080");
//   if (!r.ok()) return r.status();        // propagate
//   int port = *r;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace piseruma {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kAborted,  // optimistic-concurrency conflict: retry after reloading
  kFailedPrecondition,
  kPermissionDenied,
  kResourceExhausted,
  kDataLoss,  // integrity failure: a broken hash chain, an unreadable record
  kUnavailable,
  kInternal,
};

// One broken rule on one field, in words a caseworker can act on.
struct FieldViolation {
  std::string field;    // e.g. "data.monthly_wage_mad"
  std::string rule;     // stable machine code, e.g. "required", "min", "consent_missing"
  std::string message;  // human sentence
};

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Aborted(std::string m) { return {StatusCode::kAborted, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status PermissionDenied(std::string m) {
    return {StatusCode::kPermissionDenied, std::move(m)};
  }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  const std::vector<FieldViolation>& violations() const { return violations_; }
  Status& AddViolation(FieldViolation v) {
    violations_.push_back(std::move(v));
    return *this;
  }

  // Set on kAborted conflicts: the stream that conflicted and its version now.
  const std::optional<uint64_t>& actual_version() const { return actual_version_; }
  const std::string& conflict_stream() const { return conflict_stream_; }
  Status& SetConflict(std::string stream, uint64_t actual) {
    conflict_stream_ = std::move(stream);
    actual_version_ = actual;
    return *this;
  }

  // "ABORTED: stream case-1 is at version 3, expected 2"
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<FieldViolation> violations_;
  std::optional<uint64_t> actual_version_;
  std::string conflict_stream_;
};

const char* StatusCodeName(StatusCode code);

// A value or the Status explaining why there is none. REQUIRES: a Result built from a
// Status is never built from an OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}   // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The failure; an OK Status when ok(). Valid as long as this Result.
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace piseruma

// Propagate a failed Status from an expression returning Status.
#define PSR_RETURN_IF_ERROR(expr)          \
  do {                                     \
    ::piseruma::Status _psr_s = (expr);    \
    if (!_psr_s.ok()) return _psr_s;       \
  } while (0)

#define PSR_CONCAT_INNER(a, b) a##b
#define PSR_CONCAT(a, b) PSR_CONCAT_INNER(a, b)
// `PSR_ASSIGN_OR_RETURN(auto x, Compute());` binds x or returns the failure.
#define PSR_ASSIGN_OR_RETURN(lhs, expr)                              \
  auto PSR_CONCAT(_psr_r, __LINE__) = (expr);                        \
  if (!PSR_CONCAT(_psr_r, __LINE__).ok())                            \
    return PSR_CONCAT(_psr_r, __LINE__).status();                    \
  lhs = std::move(PSR_CONCAT(_psr_r, __LINE__)).value()
