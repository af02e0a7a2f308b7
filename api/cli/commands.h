// The piseruma subcommands. Each takes argv with argv[0] = the subcommand name, prints
// --help, and returns the process exit code: 0 success, 1 a finding (e.g. a broken
// chain), 2 bad usage or an error, explained in one line on stderr.
#pragma once

#include <memory>
#include <string>

#include "api/cli/flags.h"
#include "engine/event_log.h"

namespace piseruma::cli {

int RunInit(int argc, char** argv);
int RunVerify(int argc, char** argv);
int RunStats(int argc, char** argv);
int RunDump(int argc, char** argv);
int RunBackup(int argc, char** argv);
int RunRestore(int argc, char** argv);
int RunServe(int argc, char** argv);
int RunUser(int argc, char** argv);
int RunReplay(int argc, char** argv);
int RunDemoCommand(int argc, char** argv);
int RunRebuild(int argc, char** argv);
int RunAuditFile(int argc, char** argv);
int RunVerifyFile(int argc, char** argv);

// Prints "piseruma <command>: <message>" on stderr and returns 2.
int Fail(const char* command, const std::string& message);

// Parses the flags. On an error returns Fail's 2; on --help prints it and returns 0;
// otherwise returns -1: go on.
//   if (int rc = ParseOrExit(f, argc, argv, "stats"); rc >= 0) return rc;
int ParseOrExit(Flags& f, int argc, char** argv, const char* command);

// The log of a data directory, read-only: no lock is taken, so read commands work beside a
// running server.
Result<std::unique_ptr<engine::EventLog>> OpenReadOnly(const std::string& dir);

}  // namespace piseruma::cli
