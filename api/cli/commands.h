// The piseruma subcommands. Each takes argv with argv[0] = the subcommand name, prints
// --help, and returns the process exit code: 0 success, 1 a finding (e.g. a broken
// chain), 2 bad usage or an error, explained in one line on stderr.
#pragma once

#include <string>

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

}  // namespace piseruma::cli
