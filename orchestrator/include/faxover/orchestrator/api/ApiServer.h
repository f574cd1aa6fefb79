#pragma once
// The daemon's local API: Poco's HTTP server answering for an AdminApi.
//   GET  /v1/status                 200 + ClusterStatus
//   POST /v1/commands               AdminCommand -> 202 + CommandReply
//   GET  /v1/licences               200 + [LicenceView]
//   GET  /v1/licences/audit[?since=ISO-8601]   200 + [LicenceAuditEntry]
//   GET  /v1/hook/may-start?host=H&uuid=U&name=N   200 + StartPermission
//   failures: {"error": {...}} with the HTTP status of the error's kind (Error.h: 400 BadRequest,
//   409 Refused, 501 NotSupported, ...); 404 unknown path, 405 wrong method, 411 a body without a length, 413 body
//   over 64 KiB, 429 a TCP client holding too many connections (docs/cli.md).
// On a unix socket the caller's identity comes from the kernel (SO_PEERCRED) and the socket file
// is 0600, so only its owner (root for the daemon) may connect. TCP is refused unless the address
// is loopback: there is no authentication.
//
// A second server in the Hook role is what the hosts' libvirt hooks reach over the network: it
// answers GET /v1/hook/may-start only (404 for anything else), on any address (docs/daemon.md).
// Each server has its own workers; a request has a deadline as a whole, and a TCP client may hold
// only a few connections at once (GuardedConnection.h; docs/daemon.md, "What a client may hold").
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/api/AdminApi.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <memory>

namespace faxover::orchestrator::api {

inline constexpr std::size_t kMaxRequestBody = 64 * 1024;

enum class ApiRole {
    Admin,  // everything above; TCP only on loopback
    Hook,   // GET /v1/hook/may-start only, read-only; TCP on any address
};

class ApiServer {
public:
    ApiServer(AdminApi& api, ApiEndpoint endpoint, ApiRole role = ApiRole::Admin);
    ~ApiServer();  // stops
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds the listening socket without serving: the daemon checks every address before it touches
    // its store, and connections made meanwhile wait in the backlog. BadRequest: a non-loopback
    // (Admin role) or unresolvable TCP address, or a path that exists and is not a socket.
    // Refused: another server answers on the socket. Internal: bind/listen failed.
    // A stale socket file (nobody answering) is replaced.
    Result<void> bind();
    // Starts serving, binding first when bind() was not called; its errors too.
    Result<void> start();

    // Stops accepting, aborts open connections, waits for handlers running an AdminApi call and
    // removes the socket file. Idempotent.
    void stop();

    // The endpoint as bound: with TCP port 0, the port the system chose.
    ApiEndpoint boundEndpoint() const;

private:
    struct Running;
    AdminApi& api_;
    ApiEndpoint endpoint_;
    ApiRole role_;
    std::unique_ptr<Running> running_;
};

}  // namespace faxover::orchestrator::api
