// The OpenAPI 3.1 document of the HTTP API (api/openapi.json, compiled into the binary).
// tests/api/openapi_test.cc checks it names exactly the routes App serves.
#pragma once

#include <string>

namespace piseruma::api {

const std::string& OpenApiDocument();

}  // namespace piseruma::api
