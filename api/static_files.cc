#include "api/static_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "api/problem.h"

namespace piseruma::api {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxFileBytes = 8u << 20;

struct Type {
  std::string_view extension;
  std::string_view content_type;
};

constexpr Type kTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

std::string_view ContentTypeOf(std::string_view name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return {};
  for (const Type& t : kTypes) {
    if (name.substr(dot) == t.extension) return t.content_type;
  }
  return {};
}

// One segment, no dot first (no hidden files, no "." or ".."), a plain alphabet.
bool AcceptableName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return name.find("..") == std::string_view::npos;
}

Response NotFound(std::string_view name) {
  return Problem(http::status::not_found, "no-file", "Introuvable / Not found",
                 "The web app has no file named '" + std::string(name) + "'.");
}

void SetSecurityHeaders(Response& r) {
  r.message.set("Content-Security-Policy", kWebContentSecurityPolicy);
  r.message.set("Referrer-Policy", "no-referrer");
  r.message.set("X-Frame-Options", "DENY");
  r.message.set("Cross-Origin-Opener-Policy", "same-origin");
  r.message.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

}  // namespace

const char* const kWebContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

std::string DefaultWebDir() { return PISERUMA_WEB_DIR; }

Response ServeStaticFile(const std::string& web_dir, std::string_view subdir, std::string_view name,
                         const Request& request) {
  const std::string_view content_type = ContentTypeOf(name);
  if (!AcceptableName(name) || content_type.empty()) return NotFound(name);
  std::error_code ec;
  const fs::path root = fs::canonical(fs::path(web_dir), ec);
  if (ec) return NotFound(name);
  const fs::path file = fs::canonical(root / fs::path(subdir) / fs::path(name), ec);
  if (ec) return NotFound(name);
  // A symlink inside web/ must not lead out of it.
  const auto [end, _] = std::mismatch(root.begin(), root.end(), file.begin(), file.end());
  if (end != root.end() || !fs::is_regular_file(file, ec)) return NotFound(name);
  const std::uintmax_t size = fs::file_size(file, ec);
  const auto mtime = fs::last_write_time(file, ec);
  if (ec || size > kMaxFileBytes) return NotFound(name);

  const std::string etag =
      "\"" + std::to_string(size) + "-" + std::to_string(mtime.time_since_epoch().count()) + "\"";
  Response r;
  SetSecurityHeaders(r);
  r.message.set(http::field::cache_control, "no-cache");
  r.message.set(http::field::etag, etag);
  if (request[http::field::if_none_match] == etag) {
    r.message.result(http::status::not_modified);
    return r;
  }
  std::ifstream in(file, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return NotFound(name);
  r.message.result(http::status::ok);
  r.message.set(http::field::content_type, content_type);
  r.message.body() = std::move(body);
  return r;
}

}  // namespace piseruma::api
