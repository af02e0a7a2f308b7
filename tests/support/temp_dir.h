// TempDir: a fresh directory under $TMPDIR for one test, removed when it goes out of scope.
//
// Thread-safety: not thread-safe; one per test.
//
//   TempDir dir;
//   auto log = EventLog::Open({.data_dir = dir.path()});
#pragma once

#include <string>

namespace piseruma::testing {

class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }
  // path()/name
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace piseruma::testing
