#include "engine/status.h"

#include <gtest/gtest.h>

namespace piseruma {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("x must be even");
  return x / 2;
}

Result<int> Quarter(int x) {
  PSR_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST(StatusTest, ResultCarriesValueOrError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().ToString(), "INVALID_ARGUMENT: x must be even");
}

TEST(StatusTest, ViolationsAndConflictAreKept) {
  Status s = Status::FailedPrecondition("2 rules failed");
  s.AddViolation({"data.wage", "min", "must be positive"});
  s.AddViolation({"consent", "consent_missing", "ANAPEC consent is missing"});
  EXPECT_EQ(s.violations().size(), 2u);
  EXPECT_EQ(s.ToString(),
            "FAILED_PRECONDITION: 2 rules failed\n  data.wage [min]: must be positive\n"
            "  consent [consent_missing]: ANAPEC consent is missing");
  Status c = Status::Aborted("conflict").SetConflict("case-1", 7);
  EXPECT_EQ(*c.actual_version(), 7u);
  EXPECT_EQ(c.conflict_stream(), "case-1");
}

}  // namespace
}  // namespace piseruma
