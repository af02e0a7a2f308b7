#include "api/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace piseruma::cli {

Progress::Progress(std::string label)
    : label_(std::move(label)), tty_(isatty(STDERR_FILENO) != 0) {}

void Progress::Update(uint64_t done, uint64_t total) {
  const int pct = total == 0 ? 0 : static_cast<int>(100 * done / total);
  if (tty_) {
    std::fprintf(stderr, "\r%s: %llu/%llu (%d%%)   ", label_.c_str(), (unsigned long long)done,
                 (unsigned long long)total, pct);
    drawn_ = true;
  } else if (pct / 10 != last_decile_) {
    last_decile_ = pct / 10;
    std::fprintf(stderr, "%s: %llu/%llu (%d%%)\n", label_.c_str(), (unsigned long long)done,
                 (unsigned long long)total, pct);
  }
  std::fflush(stderr);
}

void Progress::Done(const std::string& message) {
  if (tty_ && drawn_) std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "%s: %s\n", label_.c_str(), message.c_str());
}

}  // namespace piseruma::cli
