#pragma once
// The AdminApi of a running daemon, reached through its local API (ApiServer). One connection
// per call. Failures to reach or hear from the daemon are DaemonUnreachable with the address in
// the message (AccessDenied when this user may not use its socket); the daemon's own refusals come back with the kind it sent.
#include "faxover/orchestrator/api/AdminApi.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <chrono>
#include <string>

namespace faxover::orchestrator::api {

struct ApiClientTimeouts {
    std::chrono::milliseconds connect{2000};
    std::chrono::milliseconds request{10000};  // per send and per receive
};

class ApiClient : public AdminApi {
public:
    explicit ApiClient(ApiEndpoint endpoint, ApiClientTimeouts timeouts = {});
    // Over TCP the server takes the caller's name from a header; this is the name sent
    // (default: the login name of this process's uid).
    void setClaimedUserForTcp(std::string name);

    Result<ClusterStatus> status() override;
    Result<CommandReply> execute(const engine::AdminCommand& command) override;
    Result<std::vector<LicenceView>> licences() override;
    Result<std::vector<LicenceAuditEntry>> licenceAudit(std::optional<WallTime> since) override;
    // query.asker is not sent: the server sets it from the connection.
    Result<StartPermission> mayStart(const StartQuery& query) override;
    Result<std::vector<BoardView>> boards() override;
    // NotSupported when the daemon predates plans (it answers 501).
    Result<std::vector<PlannedMove>> plan(const engine::AdminCommand& command) override;

private:
    // GETs `path` (expecting 200) and reads the answer with `read`; `document` names it in errors.
    template <class Read>
    auto get(const std::string& path, const char* document, Read read) -> decltype(read(std::string_view{}));
    Result<std::string> call(const std::string& method, const std::string& path, const std::string& body,
                                 int expectedStatus);

    ApiEndpoint endpoint_;
    ApiClientTimeouts timeouts_;
    std::string claimedUser_;
};

}  // namespace faxover::orchestrator::api
