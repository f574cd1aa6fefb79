#include "ApiRequestHandler.h"

#include "PeerIdentity.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <istream>

namespace faxover::orchestrator::api {

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kStatusPath = "/v1/status";
constexpr const char* kCommandsPath = "/v1/commands";

// An oversized body is read and dropped up to this much before the 413 goes out: closing a socket
// with unread data makes the kernel reset it, and the client would see the reset, not the 413.
constexpr std::size_t kMaxDrainedBody = 1024 * 1024;

void sendJson(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

void sendError(HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const hv::Error& error) {
    sendJson(response, status, toJson(error));
}

HTTPResponse::HTTPStatus statusFor(hv::ErrorKind kind) {
    switch (kind) {
        case hv::ErrorKind::InvalidArgument: return HTTPResponse::HTTP_BAD_REQUEST;
        case hv::ErrorKind::OperationInvalid: return HTTPResponse::HTTP_CONFLICT;
        default: return HTTPResponse::HTTP_INTERNAL_SERVER_ERROR;
    }
}

void sendFailure(HTTPServerResponse& response, const hv::Error& error) { sendError(response, statusFor(error.kind), error); }

void sendWrongMethod(HTTPServerResponse& response, const std::string& method, const std::string& allowed) {
    response.set("Allow", allowed);
    sendError(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
              {hv::ErrorKind::InvalidArgument, "method " + method + " not allowed here (use " + allowed + ")"});
}

std::size_t readUpTo(std::istream& in, std::string& into, std::size_t limit) {
    char chunk[4096];
    std::size_t total = 0;
    while (total < limit && in) {
        in.read(chunk, static_cast<std::streamsize>(std::min(sizeof chunk, limit - total)));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        into.append(chunk, got);
        total += got;
    }
    return total;
}

// The body, or nothing when it is over kMaxRequestBody (by its Content-Length or as it streams).
std::optional<std::string> readBody(HTTPServerRequest& request) {
    std::string body;
    const auto declared = request.getContentLength64();
    const bool declaredTooLarge =
        declared != HTTPRequest::UNKNOWN_CONTENT_LENGTH && static_cast<std::uint64_t>(declared) > kMaxRequestBody;
    if (!declaredTooLarge && readUpTo(request.stream(), body, kMaxRequestBody + 1) <= kMaxRequestBody) return body;
    std::string dropped;
    readUpTo(request.stream(), dropped, kMaxDrainedBody);
    return std::nullopt;
}

std::string pathOf(const std::string& uri) { return uri.substr(0, uri.find('?')); }

}  // namespace

ApiRequestHandler::ApiRequestHandler(AdminApi& api, ApiEndpoint::Transport transport) : api_(api), transport_(transport) {}

void ApiRequestHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
    // The edge of the module: nothing thrown below may reach Poco's worker thread.
    try {
        route(request, response);
        return;
    } catch (const Poco::Exception& error) {
        if (response.sent()) return;
        sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, {hv::ErrorKind::Internal, error.displayText()});
    } catch (const std::exception& error) {
        if (response.sent()) return;
        sendError(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, {hv::ErrorKind::Internal, error.what()});
    }
}

void ApiRequestHandler::route(HTTPServerRequest& request, HTTPServerResponse& response) {
    // The body is read before any answer, whatever the path: an answer sent over unread bytes
    // would be followed by a reset that can destroy it before the client reads it.
    const auto body = readBody(request);
    if (!body) {
        return sendError(response, HTTPResponse::HTTP_REQUESTENTITYTOOLARGE,
                         {hv::ErrorKind::InvalidArgument,
                          "request body over " + std::to_string(kMaxRequestBody) + " bytes"});
    }
    const std::string path = pathOf(request.getURI());
    const std::string& method = request.getMethod();
    if (path == kStatusPath) {
        if (method != HTTPRequest::HTTP_GET) return sendWrongMethod(response, method, HTTPRequest::HTTP_GET);
        return serveStatus(response);
    }
    if (path == kCommandsPath) {
        if (method != HTTPRequest::HTTP_POST) return sendWrongMethod(response, method, HTTPRequest::HTTP_POST);
        return serveCommand(request, *body, response);
    }
    sendError(response, HTTPResponse::HTTP_NOT_FOUND,
              {hv::ErrorKind::InvalidArgument, "no such endpoint '" + path + "' (see docs/cli.md)"});
}

void ApiRequestHandler::serveStatus(HTTPServerResponse& response) {
    auto status = api_.status();
    if (!status) return sendFailure(response, status.error());
    sendJson(response, HTTPResponse::HTTP_OK, toJson(status.value()));
}

void ApiRequestHandler::serveCommand(HTTPServerRequest& request, const std::string& body,
                                     HTTPServerResponse& response) {
    auto command = adminCommandFromJson(body);
    if (!command) return sendFailure(response, command.error());
    if (auto valid = checkArguments(command.value()); !valid) return sendFailure(response, valid.error());
    auto actor = actorOf(request);
    if (!actor) return sendFailure(response, actor.error());
    command.value().actor = actor.value();
    auto reply = api_.execute(command.value());
    if (!reply) return sendFailure(response, reply.error());
    sendJson(response, HTTPResponse::HTTP_ACCEPTED, toJson(reply.value()));
}

hv::Result<std::string> ApiRequestHandler::actorOf(HTTPServerRequest& request) const {
    if (transport_ == ApiEndpoint::Transport::Tcp) return tcpClaimedActor(request.get(kUserHeader, ""));
    auto* connection = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (connection == nullptr) return hv::Error{hv::ErrorKind::Internal, "cannot reach the caller's socket"};
    return unixPeerActor(connection->socket().impl()->sockfd());
}

ApiRequestHandlerFactory::ApiRequestHandlerFactory(AdminApi& api, ApiEndpoint::Transport transport)
    : api_(api), transport_(transport) {}

Poco::Net::HTTPRequestHandler* ApiRequestHandlerFactory::createRequestHandler(const HTTPServerRequest&) {
    return new ApiRequestHandler(api_, transport_);
}

}  // namespace faxover::orchestrator::api
