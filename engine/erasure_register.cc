#include "engine/erasure_register.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace piseruma::engine {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\t') out += "%09";
    else if (c == '\n') out += "%0A";
    else out.push_back(c);
  }
  return out;
}

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned value = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, value, 16).ec == std::errc()) {
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) fields.push_back(field);
  return fields;
}

template <typename Int>
bool ParseInt(const std::string& s, Int* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::string ErasureRegisterPath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "erasure-register.log").string();
}

Result<std::unique_ptr<ErasureRegister>> ErasureRegister::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot open the erasure register " + path + ": " + std::strerror(errno));
  return std::unique_ptr<ErasureRegister>(new ErasureRegister(fd));
}

ErasureRegister::~ErasureRegister() { ::close(fd_); }

std::string ErasureRegister::EncodeLine(const ErasureRecord& r) {
  return "v1\t" + Escape(r.subject()) + "\t" + std::to_string(r.erased_at_us()) + "\t" +
         Escape(r.actor().user_id()) + "\t" + Escape(r.actor().role()) + "\t" +
         Escape(r.request_ref()) + "\t" + std::to_string(r.position()) + "\n";
}

Status ErasureRegister::Append(const std::vector<ErasureRecord>& records) {
  std::string text;
  for (const auto& r : records) text += EncodeLine(r);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Internal(std::string("cannot write the erasure register: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    return Status::Internal(std::string("cannot sync the erasure register: ") + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::vector<ErasureRecord>> ErasureRegister::ReadAll(const std::string& path) {
  std::vector<ErasureRecord> out;
  std::ifstream in(path);
  if (!in) return out;
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t start = 0;
  while (true) {
    size_t end = content.find('\n', start);
    if (end == std::string::npos) break;  // a torn tail is not a record
    std::vector<std::string> f = Split(content.substr(start, end - start));
    start = end + 1;
    int64_t erased_at = 0;
    uint64_t position = 0;
    if (f.size() != 7 || f[0] != "v1" || !ParseInt(f[2], &erased_at) || !ParseInt(f[6], &position)) {
      return Status::DataLoss("the erasure register " + path + " has a damaged line");
    }
    ErasureRecord r;
    r.set_subject(Unescape(f[1]));
    r.set_erased_at_us(erased_at);
    r.mutable_actor()->set_user_id(Unescape(f[3]));
    r.mutable_actor()->set_role(Unescape(f[4]));
    r.set_request_ref(Unescape(f[5]));
    r.set_position(position);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace piseruma::engine
