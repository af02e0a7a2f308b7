// StaticFiles: the web app (web/) served by the same process as the API — GET / is
// web/index.html, GET /assets/{file} is web/assets/{file} — read from disk on each request,
// so a release needs no build step and an edited file is served at once.
//
// Every answer carries a strict Content-Security-Policy (scripts, styles, images and
// connections from this origin only; no inline script or style; no framing), a
// Content-Type from a fixed list of extensions, `Cache-Control: no-cache` with an ETag
// (the browser revalidates; unchanged files cost a 304). A file name is one path segment
// of letters, digits, '-', '_' and dots, not starting with a dot, with a known extension,
// naming a regular file inside the directory after symlinks are resolved; anything else
// is 404.
//
// Thread-safety: pure functions of the file system.
//
//   Response r = ServeStaticFile(DefaultWebDir(), "assets", "app.js", request);
#pragma once

#include <string>
#include <string_view>

#include "api/http/server.h"

namespace piseruma::api {

// The web app of the source tree this binary was built from (PISERUMA_WEB_DIR).
std::string DefaultWebDir();

// The Content-Security-Policy of every web-app response.
extern const char* const kWebContentSecurityPolicy;

// Serves `web_dir`/`subdir`/`name` (`subdir` "" for the top level). 404 problem when the
// name is not acceptable or no such file exists; 304 when If-None-Match matches.
Response ServeStaticFile(const std::string& web_dir, std::string_view subdir, std::string_view name,
                         const Request& request);

}  // namespace piseruma::api
