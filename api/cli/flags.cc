#include "api/cli/flags.h"

#include <charconv>
#include <cstdlib>

namespace piseruma::cli {

Flags::Flags(std::string command, std::string summary)
    : command_(std::move(command)), summary_(std::move(summary)) {}

void Flags::Add(const std::string& name, const std::string& help, const std::string& default_value,
                const std::string& env) {
  Flag f{help, default_value, env, false, false};
  if (!env.empty()) {
    if (const char* v = std::getenv(env.c_str()); v && *v) f.value = v;
  }
  flags_[name] = f;
  flag_order_.push_back(name);
}

void Flags::AddSwitch(const std::string& name, const std::string& help) {
  flags_[name] = Flag{help, "", "", true, false};
  flag_order_.push_back(name);
}

void Flags::AddPositional(const std::string& name, const std::string& help) {
  positionals_.emplace_back(name, help);
}

Status Flags::Parse(int argc, char** argv) {
  size_t next_positional = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      return Status::Ok();
    }
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2), value;
      const bool inline_value = name.find('=') != std::string::npos;
      if (inline_value) {
        value = name.substr(name.find('=') + 1);
        name = name.substr(0, name.find('='));
      }
      auto it = flags_.find(name);
      if (it == flags_.end()) {
        return Status::InvalidArgument("unknown option --" + name + " for `piseruma " + command_ +
                                       "` (see --help)");
      }
      Flag& f = it->second;
      if (f.is_switch) {
        if (inline_value) return Status::InvalidArgument("--" + name + " takes no value");
      } else if (!inline_value) {
        if (i + 1 >= argc) return Status::InvalidArgument("--" + name + " needs a value");
        value = argv[++i];
      }
      f.value = value;
      f.given = true;
      continue;
    }
    if (next_positional >= positionals_.size()) {
      return Status::InvalidArgument("unexpected argument '" + arg + "' for `piseruma " + command_ +
                                     "` (see --help)");
    }
    positional_values_[positionals_[next_positional++].first] = arg;
  }
  if (next_positional < positionals_.size()) {
    return Status::InvalidArgument("missing " + positionals_[next_positional].first + " (" +
                                   Help().substr(0, Help().find('\n')) + ")");
  }
  return Status::Ok();
}

std::string Flags::Help() const {
  std::string usage = "usage: piseruma " + command_;
  if (!flags_.empty()) usage += " [options]";
  for (const auto& [name, help] : positionals_) usage += " " + name;
  std::string out = usage + "\n\n" + summary_ + "\n";
  if (!positionals_.empty()) {
    out += "\narguments:\n";
    for (const auto& [name, help] : positionals_) out += "  " + name + "\n      " + help + "\n";
  }
  if (!flag_order_.empty()) {
    out += "\noptions:\n";
    for (const auto& name : flag_order_) {
      const Flag& f = flags_.at(name);
      out += "  --" + name + (f.is_switch ? "" : " VALUE") + "\n      " + f.help;
      if (!f.is_switch && !f.value.empty()) out += " (default: " + f.value + ")";
      if (!f.env.empty()) out += " [env " + f.env + "]";
      out += "\n";
    }
  }
  out += "  --help\n      show this help\n";
  return out;
}

const std::string& Flags::Get(const std::string& name) const {
  if (auto it = positional_values_.find(name); it != positional_values_.end()) return it->second;
  return flags_.at(name).value;
}

bool Flags::Has(const std::string& name) const {
  if (positional_values_.count(name)) return true;
  auto it = flags_.find(name);
  return it != flags_.end() &&
         (it->second.given || (!it->second.is_switch && !it->second.value.empty()));
}

Result<uint64_t> Flags::GetUint(const std::string& name) const {
  const std::string& v = Get(name);
  uint64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size()) {
    return Status::InvalidArgument("--" + name + " must be a whole number, not '" + v + "'");
  }
  return out;
}

}  // namespace piseruma::cli
