// piseruma: the command line. `piseruma --help` lists the commands; each has --help.
#include <cstdio>
#include <cstring>
#include <string>

#include "api/cli/commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int, char**);
};

constexpr Command kCommands[] = {
    {"serve", "serve the HTTP API on the data directory", piseruma::cli::RunServe},
    {"user", "add, list or revoke users (server stopped)", piseruma::cli::RunUser},
    {"demo", "generate the synthetic demo programme", piseruma::cli::RunDemoCommand},
    {"rebuild", "rebuild read models from the log", piseruma::cli::RunRebuild},
    {"init", "create an empty data directory", piseruma::cli::RunInit},
    {"verify", "check the hash chain of the event log", piseruma::cli::RunVerify},
    {"stats", "events, streams, last position, size on disk", piseruma::cli::RunStats},
    {"dump", "print a stream's history as JSON lines", piseruma::cli::RunDump},
    {"backup", "take a consistent backup of the data directory", piseruma::cli::RunBackup},
    {"restore", "restore the latest backup into the data directory", piseruma::cli::RunRestore},
    {"replay", "a case's timeline and its state as of a moment", piseruma::cli::RunReplay},
    {"audit-file", "export a case's self-contained audit file", piseruma::cli::RunAuditFile},
    {"verify-file", "check an audit file without the server", piseruma::cli::RunVerifyFile},
};

void PrintUsage(FILE* out) {
  std::fputs(
      "usage: piseruma COMMAND [options]\n\n"
      "piseruma — case management for the PISERUMA refugee livelihoods programme\n"
      "(an event-sourced workflow engine on RocksDB).\n\ncommands:\n",
      out);
  for (const auto& c : kCommands) std::fprintf(out, "  %-11s %s\n", c.name, c.summary);
  std::fputs("\nRun `piseruma COMMAND --help` for a command's options.\n", out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 ||
      std::strcmp(argv[1], "help") == 0) {
    PrintUsage(stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const auto& c : kCommands) {
    if (std::strcmp(argv[1], c.name) == 0) return c.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "piseruma: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}
