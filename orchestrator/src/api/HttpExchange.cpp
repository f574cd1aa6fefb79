#include "HttpExchange.h"

#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <algorithm>
#include <istream>

namespace faxover::orchestrator::api {

namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

// An oversized body is read and dropped up to this much before the 413 goes out: closing a socket
// with unread data makes the kernel reset it, and the client would see the reset, not the 413.
constexpr std::size_t kMaxDrainedBody = 1024 * 1024;

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

}  // namespace

std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request) {
    std::string body;
    const auto declared = request.getContentLength64();
    const bool declaredTooLarge =
        declared != HTTPRequest::UNKNOWN_CONTENT_LENGTH && static_cast<std::uint64_t>(declared) > kMaxRequestBody;
    if (!declaredTooLarge && readUpTo(request.stream(), body, kMaxRequestBody + 1) <= kMaxRequestBody) return body;
    std::string dropped;
    readUpTo(request.stream(), dropped, kMaxDrainedBody);
    return std::nullopt;
}

void sendJson(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& body) {
    response.setStatusAndReason(status);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
}

void sendError(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const Error& error) {
    sendJson(response, status, toJson(error));
}

void sendFailure(Poco::Net::HTTPServerResponse& response, const Error& error) {
    sendError(response, static_cast<HTTPResponse::HTTPStatus>(httpStatusOf(error.kind)), error);
}

void sendWrongMethod(Poco::Net::HTTPServerResponse& response, const std::string& method, const std::string& allowed) {
    response.set("Allow", allowed);
    sendError(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
              {ErrorKind::BadRequest, "method " + method + " not allowed here (use " + allowed + ")"});
}

}  // namespace faxover::orchestrator::api
