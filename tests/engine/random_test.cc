// CryptoRandom hands out pooled generator output: never the same bytes twice, across
// refills, threads and a fork.
#include "engine/random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <string>
#include <thread>

namespace piseruma::engine {
namespace {

std::string Draw(size_t n) {
  std::string out(n, '\0');
  CryptoRandom::Default()->Fill(reinterpret_cast<uint8_t*>(out.data()), n);
  return out;
}

TEST(CryptoRandomTest, SmallDrawsNeverRepeatAcrossRefillsAndThreads) {
  std::set<std::string> seen;
  for (int i = 0; i < 3000; ++i) seen.insert(Draw(i % 2 ? 16 : 12));  // ~14 pool refills
  std::string other[500];
  std::thread t([&] {
    for (auto& s : other) s = Draw(16);
  });
  t.join();
  for (const auto& s : other) seen.insert(s);
  EXPECT_EQ(seen.size(), 3500u);
}

TEST(CryptoRandomTest, LargeDrawsAreFreshToo) {
  const std::string a = Draw(4096), b = Draw(4096);
  EXPECT_NE(a, b);
  EXPECT_NE(a, std::string(4096, '\0'));
}

TEST(CryptoRandomTest, AForkedChildDoesNotRepeatItsParentsPooledBytes) {
  Draw(16);  // the pool now holds bytes the parent will hand out next
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string mine = Draw(16);
    _exit(write(fds[1], mine.data(), mine.size()) == 16 ? 0 : 1);
  }
  close(fds[1]);
  std::string from_child(16, '\0');
  ASSERT_EQ(read(fds[0], from_child.data(), 16), 16);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(Draw(16), from_child);
}

}  // namespace
}  // namespace piseruma::engine
