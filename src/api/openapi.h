// The OpenAPI 3 document of the API, generated from the route table (paths, parameters, bodies,
// responses) and the component schemas (api_schemas.cc), and its HTML rendering for /docs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "api/router.h"

namespace clipthat::api {

// components.schemas: every request and response body by name.
nlohmann::json ApiSchemas();

// The whole document for `router`'s routes.
nlohmann::json BuildOpenApiDocument(const Router& router);

// A self-contained HTML page (no scripts) listing every operation with its parameters, request
// and response schemas and examples, then every schema.
std::string RenderDocsHtml(const nlohmann::json& openapi);

}  // namespace clipthat::api
