// Flags: a small, strict command-line parser for piseruma's subcommands.
//
// Each subcommand declares its flags and positional arguments; --help prints them with
// their defaults; an unknown flag or a missing value is an error that names it. A flag's
// default may come from an environment variable (e.g. PISERUMA_DATA for --data).
//
// Thread-safety: not thread-safe; use from main().
//
//   Flags f("verify", "Check the hash chain of the whole log.");
//   f.Add("data", "data directory", "./data", "PISERUMA_DATA");
//   if (auto s = f.Parse(argc, argv); !s.ok()) ...;
//   std::string dir = f.Get("data");
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/status.h"

namespace piseruma::cli {

class Flags {
 public:
  Flags(std::string command, std::string summary);

  // A --name VALUE flag. `env` (optional) names an environment variable that overrides
  // the default but not the command line.
  void Add(const std::string& name, const std::string& help, const std::string& default_value,
           const std::string& env = "");
  // A --name switch with no value.
  void AddSwitch(const std::string& name, const std::string& help);
  // A required positional argument, in order.
  void AddPositional(const std::string& name, const std::string& help);

  // Parses argv (argv[0] is the subcommand). kInvalidArgument names the offending word.
  // After --help, help_requested() is true and nothing else is checked.
  Status Parse(int argc, char** argv);

  bool help_requested() const { return help_; }
  std::string Help() const;

  const std::string& Get(const std::string& name) const;
  bool Has(const std::string& name) const;  // switch given, or flag given explicitly
  // REQUIRES: the flag's value is a non-negative integer; kInvalidArgument otherwise.
  Result<uint64_t> GetUint(const std::string& name) const;

 private:
  struct Flag {
    std::string help;
    std::string value;
    std::string env;
    bool is_switch = false;
    bool given = false;
  };
  std::string command_;
  std::string summary_;
  std::map<std::string, Flag> flags_;
  std::vector<std::string> flag_order_;
  std::vector<std::pair<std::string, std::string>> positionals_;  // name, help
  std::map<std::string, std::string> positional_values_;
  bool help_ = false;
};

}  // namespace piseruma::cli
