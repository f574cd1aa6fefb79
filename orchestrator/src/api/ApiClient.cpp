#include "faxover/orchestrator/api/ApiClient.h"

#include "PeerIdentity.h"
#include "faxover/orchestrator/api/Json.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <cerrno>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <unistd.h>

#include <istream>
#include <utility>

namespace faxover::orchestrator::api {

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

// A status answer for hundreds of services is well under this; more means something is wrong.
constexpr std::size_t kMaxResponseBody = 8 * 1024 * 1024;

Poco::Timespan timespanOf(std::chrono::milliseconds duration) {
    return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

std::string readAll(std::istream& in) {
    std::string body;
    char chunk[4096];
    while (body.size() < kMaxResponseBody && in.read(chunk, sizeof chunk).gcount() > 0) {
        body.append(chunk, static_cast<std::size_t>(in.gcount()));
    }
    return body;
}

std::string firstLine(const std::string& text) {
    const std::string line = text.substr(0, text.find('\n'));
    return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

}  // namespace

ApiClient::ApiClient(ApiEndpoint endpoint, ApiClientTimeouts timeouts)
    : endpoint_(std::move(endpoint)), timeouts_(timeouts), claimedUser_(userNameOf(::getuid())) {}

void ApiClient::setClaimedUserForTcp(std::string name) { claimedUser_ = std::move(name); }

Result<ClusterStatus> ApiClient::status() {
    BOOST_OUTCOME_TRY(body, call(HTTPRequest::HTTP_GET, "/v1/status", "", HTTPResponse::HTTP_OK));
    auto status = clusterStatusFromJson(body);
    if (!status) {
        return Error{ErrorKind::Internal, "the daemon sent a status this CLI cannot read: " + status.error().message};
    }
    return status;
}

Result<CommandReply> ApiClient::execute(const engine::AdminCommand& command) {
    BOOST_OUTCOME_TRY(body, call(HTTPRequest::HTTP_POST, "/v1/commands", toJson(command), HTTPResponse::HTTP_ACCEPTED));
    auto reply = commandReplyFromJson(body);
    if (!reply) {
        return Error{ErrorKind::Internal, "the daemon sent a reply this CLI cannot read: " + reply.error().message};
    }
    return reply;
}

template <class Read>
auto ApiClient::get(const std::string& path, const char* document, Read read) -> decltype(read(std::string_view{})) {
    BOOST_OUTCOME_TRY(body, call(HTTPRequest::HTTP_GET, path, "", HTTPResponse::HTTP_OK));
    auto value = read(body);
    if (!value) {
        return Error{ErrorKind::Internal,
                         std::string("the daemon sent ") + document + " this CLI cannot read: " + value.error().message};
    }
    return value;
}

Result<std::vector<LicenceView>> ApiClient::licences() {
    return get("/v1/licences", "licences", licencesFromJson);
}

Result<std::vector<LicenceAuditEntry>> ApiClient::licenceAudit(std::optional<WallTime> since) {
    Poco::URI uri("/v1/licences/audit");
    // addQueryParameter percent-encodes, so an offset's '+' cannot arrive as a space.
    if (since) uri.addQueryParameter("since", toIsoUtc(*since));
    return get(uri.getPathAndQuery(), "an audit log", licenceAuditFromJson);
}

Result<StartPermission> ApiClient::mayStart(const StartQuery& query) {
    Poco::URI uri("/v1/hook/may-start");
    for (const auto& [key, value] : {std::pair{"host", &query.host}, std::pair{"uuid", &query.uuid},
                                     std::pair{"name", &query.name}}) {
        if (!value->empty()) uri.addQueryParameter(key, *value);
    }
    return get(uri.getPathAndQuery(), "a start permission", startPermissionFromJson);
}

Result<std::vector<BoardView>> ApiClient::boards() { return get("/v1/boards", "boards", boardsFromJson); }

Result<std::vector<PlannedMove>> ApiClient::plan(const engine::AdminCommand& command) {
    BOOST_OUTCOME_TRY(body, call(HTTPRequest::HTTP_POST, "/v1/plan", toJson(command), HTTPResponse::HTTP_OK));
    auto moves = planFromJson(body);
    if (!moves) {
        return Error{ErrorKind::Internal, "the daemon sent a plan this CLI cannot read: " + moves.error().message};
    }
    return moves;
}

namespace {

// The daemon runs, but this user may not use its socket: say so, and who may.
std::string permissionDenied(const std::string& path) {
    struct stat socket {};
    std::string who = "its owner";
    if (::stat(path.c_str(), &socket) == 0) {
        const passwd* owner = ::getpwuid(socket.st_uid);
        who = owner != nullptr ? std::string(owner->pw_name) : "uid " + std::to_string(socket.st_uid);
        if ((socket.st_mode & S_IRWXG) != 0) {
            const group* grp = ::getgrgid(socket.st_gid);
            who += " and group " + (grp != nullptr ? std::string(grp->gr_name) : std::to_string(socket.st_gid));
        }
    }
    return "permission denied on " + path + ": the daemon's socket may be used by " + who +
           " only; run faxover as that user (e.g. with sudo)";
}

}  // namespace

Result<std::string> ApiClient::call(const std::string& method, const std::string& path, const std::string& body,
                                        int expectedStatus) {
    const std::string where = endpoint_.toString();
    Poco::Net::StreamSocket socket;
    try {
        const Poco::Net::SocketAddress address =
            endpoint_.transport == ApiEndpoint::Transport::UnixSocket
                ? Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, endpoint_.path)
                : Poco::Net::SocketAddress(endpoint_.host, endpoint_.port);
        socket.connect(address, timespanOf(timeouts_.connect));
    } catch (const Poco::Exception& error) {
        if (error.code() == EACCES && endpoint_.transport == ApiEndpoint::Transport::UnixSocket)
            return Error{ErrorKind::AccessDenied, permissionDenied(endpoint_.path)};
        return Error{ErrorKind::DaemonUnreachable, "daemon is not answering at " + where + " (" + error.displayText() +
                                                       "): is `faxover daemon` running?"};
    }
    try {
        socket.setReceiveTimeout(timespanOf(timeouts_.request));
        socket.setSendTimeout(timespanOf(timeouts_.request));
        Poco::Net::HTTPClientSession session(socket);
        HTTPRequest request(method, path, HTTPRequest::HTTP_1_1);
        request.setHost("localhost");
        if (endpoint_.transport == ApiEndpoint::Transport::Tcp) request.set(kUserHeader, claimedUser_);
        if (!body.empty()) {
            request.setContentType("application/json");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
        }
        session.sendRequest(request) << body;
        HTTPResponse response;
        const std::string answer = readAll(session.receiveResponse(response));
        if (static_cast<int>(response.getStatus()) == expectedStatus) return answer;
        auto refusal = errorFromJson(answer);
        // The API answers 404 only for a path it does not serve, as a daemon older than this CLI
        // does for a newer route: NotSupported, like a 501, so the caller may do without it (a
        // plan, say). The daemon's own words are kept: they say which listener answered.
        if (response.getStatus() == HTTPResponse::HTTP_NOT_FOUND) {
            return Error{ErrorKind::NotSupported,
                             refusal ? refusal.value().error.message
                                     : "the daemon at " + where + " does not serve " + method + " " + path};
        }
        if (refusal) return refusal.value().error;
        return Error{ErrorKind::Internal, "the daemon at " + where + " answered HTTP " +
                                                      std::to_string(response.getStatus()) + " " + response.getReason() +
                                                      ": " + firstLine(answer)};
    } catch (const Poco::TimeoutException&) {
        return Error{ErrorKind::DaemonUnreachable, "the daemon at " + where + " did not answer within " +
                                                     std::to_string(timeouts_.request.count()) + " ms"};
    } catch (const Poco::Exception& error) {
        return Error{ErrorKind::DaemonUnreachable, "lost the connection to " + where + " (" + error.displayText() +
                                                       "): is `faxover daemon` running?"};
    }
}

}  // namespace faxover::orchestrator::api
