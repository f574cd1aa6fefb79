#include "ApiRequestHandler.h"

#include "HttpExchange.h"
#include "PeerIdentity.h"
#include "RequestQuery.h"
#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/StreamSocket.h>

namespace faxover::orchestrator::api {

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kStatusPath = "/v1/status";
constexpr const char* kCommandsPath = "/v1/commands";
constexpr const char* kLicencesPath = "/v1/licences";
constexpr const char* kAuditPath = "/v1/licences/audit";
constexpr const char* kMayStartPath = "/v1/hook/may-start";
constexpr const char* kHostEventPath = "/v1/hook/host-event";
constexpr const char* kBoardsPath = "/v1/boards";
constexpr const char* kPlanPath = "/v1/plan";

std::string pathOf(const std::string& uri) { return uri.substr(0, uri.find('?')); }

// "localhost", "127.0.0.1", "[::1]", any of them with a port.
bool isLoopbackHost(const std::string& hostHeader) {
    std::string host = hostHeader;
    if (host.starts_with("[")) {
        host = host.substr(1, host.find(']') == std::string::npos ? std::string::npos : host.find(']') - 1);
    } else if (const auto colon = host.find(':'); colon != std::string::npos) {
        host = host.substr(0, colon);
    }
    if (host == "localhost") return true;
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

// A route's method check: true when the request may go on, else the 405 is sent.
bool methodIs(const std::string& allowed, const std::string& method, HTTPServerResponse& response) {
    if (method == allowed) return true;
    sendWrongMethod(response, method, allowed);
    return false;
}

}  // namespace

ApiRequestHandler::ApiRequestHandler(AdminApi& api, ApiEndpoint::Transport transport, ApiRole role)
    : api_(api), transport_(transport), role_(role) {}

void ApiRequestHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
    // The edge of the module: nothing thrown below may reach Poco's worker thread.
    try {
        route(request, response);
        return;
    } catch (const Poco::Exception& error) {
        if (response.sent()) return;
        sendFailure(response, {ErrorKind::Internal, error.displayText()});
    } catch (const std::exception& error) {
        if (response.sent()) return;
        sendFailure(response, {ErrorKind::Internal, error.what()});
    }
}

void ApiRequestHandler::route(HTTPServerRequest& request, HTTPServerResponse& response) {
    const std::string path = pathOf(request.getURI());
    if (role_ == ApiRole::Hook && path != kMayStartPath && path != kHostEventPath) {
        // Reachable from the network: nothing of the admin API may leak through this listener. Any
        // body is left unread: nothing legitimate sends one here.
        return sendFailure(response,
                           {ErrorKind::NotFound,
                            "no such endpoint '" + path + "': this listener only answers the libvirt hook (GET " +
                              kMayStartPath + ", POST " + kHostEventPath + "); the admin API is local (docs/daemon.md)"});
    }
    // Without a length, a body ends when the client closes: a client that does not would hold a
    // worker until its deadline. Poco reads GET, HEAD and DELETE as bodiless.
    const std::string& method = request.getMethod();
    const bool bodiless = method == HTTPRequest::HTTP_GET || method == HTTPRequest::HTTP_HEAD ||
                          method == HTTPRequest::HTTP_DELETE;
    if (!bodiless && !request.hasContentLength() && !request.getChunkedTransferEncoding()) {
        return sendError(response, HTTPResponse::HTTP_LENGTH_REQUIRED,
                         {ErrorKind::BadRequest,
                          "a " + method + " request needs Content-Length (or chunked transfer encoding)"});
    }
    // The body is read before any other answer, whatever the path: an answer sent over unread bytes
    // would be followed by a reset that can destroy it before the client reads it.
    const auto body = readBody(request);
    if (!body) {
        return sendError(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE,
                         {ErrorKind::BadRequest,
                          "request body over " + std::to_string(kMaxRequestBody) + " bytes"});
    }
    if (path == kMayStartPath) {
        if (!methodIs(HTTPRequest::HTTP_GET, method, response)) return;
        return serveMayStart(request, response);
    }
    if (path == kHostEventPath) {
        if (!methodIs(HTTPRequest::HTTP_POST, method, response)) return;
        return serveHostEvent(request, *body, response);
    }
    if (transport_ == ApiEndpoint::Transport::Tcp && !isLoopbackHost(request.getHost())) {
        // A page in a browser on this machine can reach a loopback port under a name of its own
        // (DNS rebinding): the admin API answers only requests addressed to loopback.
        return sendError(response, HTTPResponse::HTTP_MISDIRECTED_REQUEST,
                         {ErrorKind::BadRequest, "Host '" + request.getHost() +
                                                              "' is not a loopback name or address; the admin API "
                                                              "answers only requests for localhost, 127.0.0.1 or ::1"});
    }
    routeAdmin(request, path, *body, response);
}

void ApiRequestHandler::routeAdmin(HTTPServerRequest& request, const std::string& path, const std::string& body,
                                   HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    if (path == kStatusPath) {
        if (methodIs(HTTPRequest::HTTP_GET, method, response)) serveStatus(response);
    } else if (path == kCommandsPath) {
        if (methodIs(HTTPRequest::HTTP_POST, method, response)) serveCommand(request, body, response);
    } else if (path == kLicencesPath) {
        if (methodIs(HTTPRequest::HTTP_GET, method, response)) serveLicences(response);
    } else if (path == kAuditPath) {
        if (methodIs(HTTPRequest::HTTP_GET, method, response)) serveAudit(request, response);
    } else if (path == kBoardsPath) {
        if (methodIs(HTTPRequest::HTTP_GET, method, response)) serveBoards(response);
    } else if (path == kPlanPath) {
        if (methodIs(HTTPRequest::HTTP_POST, method, response)) servePlan(request, body, response);
    } else {
        sendFailure(response, {ErrorKind::NotFound, "no such endpoint '" + path + "' (see docs/cli.md)"});
    }
}

void ApiRequestHandler::serveStatus(HTTPServerResponse& response) {
    auto status = api_.status();
    if (!status) return sendFailure(response, status.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(status.value()));
}

void ApiRequestHandler::serveCommand(HTTPServerRequest& request, const std::string& body,
                                     HTTPServerResponse& response) {
    auto command = commandOf(request, body);
    if (!command) return sendFailure(response, command.error());
    auto reply = api_.execute(command.value());
    if (!reply) return sendFailure(response, reply.error());
    sendJson(response, HTTPResponse::HTTP_ACCEPTED, toJson(reply.value()));
}

void ApiRequestHandler::servePlan(HTTPServerRequest& request, const std::string& body,
                                  HTTPServerResponse& response) {
    auto command = commandOf(request, body);
    if (!command) return sendFailure(response, command.error());
    auto moves = api_.plan(command.value());
    if (!moves) return sendFailure(response, moves.error());
    // 200, not 202 as for /v1/commands: nothing was accepted to be done.
    sendJson(response, HTTPResponse::HTTP_OK, toJson(moves.value()));
}

Result<engine::AdminCommand> ApiRequestHandler::commandOf(HTTPServerRequest& request, const std::string& body) const {
    BOOST_OUTCOME_TRY(command, adminCommandFromJson(body));
    BOOST_OUTCOME_TRY(checkArguments(command));
    // The actor comes from the connection, never from the body.
    BOOST_OUTCOME_TRY(actor, actorOf(request));
    command.actor = std::move(actor);
    return command;
}

void ApiRequestHandler::serveBoards(HTTPServerResponse& response) {
    auto boards = api_.boards();
    if (!boards) return sendFailure(response, boards.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(boards.value()));
}

void ApiRequestHandler::serveLicences(HTTPServerResponse& response) {
    auto licences = api_.licences();
    if (!licences) return sendFailure(response, licences.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(licences.value()));
}

void ApiRequestHandler::serveAudit(HTTPServerRequest& request, HTTPServerResponse& response) {
    auto parameters = queryParameters(request.getURI());
    if (!parameters) return sendFailure(response, parameters.error());
    auto since = auditSince(parameters.value());
    if (!since) return sendFailure(response, since.error());
    auto entries = api_.licenceAudit(since.value());
    if (!entries) return sendFailure(response, entries.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(entries.value()));
}

void ApiRequestHandler::serveMayStart(HTTPServerRequest& request, HTTPServerResponse& response) {
    auto parameters = queryParameters(request.getURI());
    if (!parameters) return sendFailure(response, parameters.error());
    auto query = startQuery(parameters.value());
    if (!query) return sendFailure(response, query.error());
    // Unverified like X-Faxover-User: the host is what the hook claims, the peer what TCP says.
    query.value().asker = "libvirt-hook:" + query.value().host + "@" + peerOf(request);
    auto permission = api_.mayStart(query.value());
    if (!permission) return sendFailure(response, permission.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(permission.value()));
}

void ApiRequestHandler::serveHostEvent(HTTPServerRequest& request, const std::string& body,
                                       HTTPServerResponse& response) {
    auto event = hostEventFromJson(body);
    if (!event) return sendFailure(response, event.error());
    // The peer is what TCP says, never the body: the runtime accepts only a host's own addresses.
    event.value().peer = peerOf(request);
    event.value().asker = "libvirt-hook:" + event.value().host + "@" + event.value().peer;
    auto reply = api_.hostEvent(event.value());
    if (!reply) return sendFailure(response, reply.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(reply.value()));
}

Result<std::string> ApiRequestHandler::actorOf(HTTPServerRequest& request) const {
    if (transport_ == ApiEndpoint::Transport::Tcp) return tcpClaimedActor(request.get(kUserHeader, ""));
    auto* connection = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (connection == nullptr) return Error{ErrorKind::Internal, "cannot reach the caller's socket"};
    return unixPeerActor(connection->socket().impl()->sockfd());
}

std::string ApiRequestHandler::peerOf(HTTPServerRequest& request) const {
    if (transport_ == ApiEndpoint::Transport::UnixSocket) return "local";
    return request.clientAddress().host().toString();
}

ApiRequestHandlerFactory::ApiRequestHandlerFactory(AdminApi& api, ApiEndpoint::Transport transport, ApiRole role)
    : api_(api), transport_(transport), role_(role) {}

Poco::Net::HTTPRequestHandler* ApiRequestHandlerFactory::createRequestHandler(const HTTPServerRequest&) {
    return new ApiRequestHandler(api_, transport_, role_);
}

}  // namespace faxover::orchestrator::api
