#pragma once
// A real ApiServer for the route tests, started on a socket and stopped at the end of the scope,
// and the message of an error document it answered.
#include "api_http_support.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

#include <string>

namespace faxover::orchestrator::api::test {

struct RunningServer {
    RunningServer(AdminApi& api, const ApiEndpoint& endpoint, ApiRole role = ApiRole::Admin)
        : server(api, endpoint, role) {
        auto started = server.start();
        INFO((started ? std::string() : started.error().message));
        REQUIRE(started);
    }
    ApiEndpoint endpoint() const { return server.boundEndpoint(); }
    ApiServer server;
};

// Port 0: the kernel picks a free one (RunningServer::endpoint() says which).
inline const ApiEndpoint kLoopback = parseApiEndpoint("tcp:127.0.0.1:0").value();

inline std::string errorMessage(const RawAnswer& answer) {
    auto error = errorFromJson(answer.body);
    return error ? error.value().error.message : "(not an error document: " + answer.body + ")";
}

}  // namespace faxover::orchestrator::api::test
