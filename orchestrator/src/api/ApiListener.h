#pragma once
// The listening socket of the local API, made safe before anyone can connect.
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <Poco/Net/ServerSocket.h>

namespace faxover::orchestrator::api {

// Unix socket: creates the parent directory, replaces a stale socket file (refuses when another
// process answers on it, or when the path is not a socket), binds, makes the file 0600 and only
// then listens, so there is no moment in which another user could connect.
// TCP: with `loopbackOnly` (the admin API, which has no authentication) refuses any address that
// is not loopback; then binds (SO_REUSEADDR) and listens.
Result<Poco::Net::ServerSocket> openApiListener(const ApiEndpoint& endpoint, bool loopbackOnly = true);

}  // namespace faxover::orchestrator::api
