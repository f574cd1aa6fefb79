#pragma once
// The query strings the API takes (`?since=`, the hook's `?host=&uuid=&name=`), decoded and
// checked. Every problem is BadRequest naming the parameter, answered with a 400.
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/api/AdminApi.h"

#include <map>
#include <optional>
#include <string>

namespace faxover::orchestrator::api {

using QueryParameters = std::map<std::string, std::string>;

// The decoded parameters of `uri`'s query. Refuses bad percent-encoding and a parameter given twice
// (which one would count is a guess).
Result<QueryParameters> queryParameters(const std::string& uri);

// `since` for GET /v1/licences/audit: unset when absent, else any form parseIsoInstant takes.
Result<std::optional<WallTime>> auditSince(const QueryParameters& parameters);

// GET /v1/hook/may-start: `host` required, and `uuid` or `name` (or both). The values end up in
// the licence audit log, so they are held to the shapes libvirt and the policy give them: a log
// line cannot be forged through them. `asker` is left for the caller to set.
Result<StartQuery> startQuery(const QueryParameters& parameters);

}  // namespace faxover::orchestrator::api
