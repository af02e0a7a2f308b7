// Progress: a one-line progress report on stderr for long commands.
//
// On a terminal it redraws one line; elsewhere (CI logs) it prints a line every 10%.
//
// Thread-safety: not thread-safe; one per command.
//
//   Progress p("verify");
//   log->Verify(1, 0, p.Callback());
//   p.Done("intact");
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace piseruma::cli {

class Progress {
 public:
  explicit Progress(std::string label);
  void Update(uint64_t done, uint64_t total);
  std::function<void(uint64_t, uint64_t)> Callback() {
    return [this](uint64_t d, uint64_t t) { Update(d, t); };
  }
  void Done(const std::string& message);

 private:
  std::string label_;
  bool tty_;
  int last_decile_ = -1;
  bool drawn_ = false;
};

}  // namespace piseruma::cli
