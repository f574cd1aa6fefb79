#pragma once
// The HTTP side of one API request: reading a bounded body, and answering with JSON documents
// (the value, or an error document whose HTTP status follows its kind).
#include "faxover/orchestrator/Error.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

namespace faxover::orchestrator::api {

// The body, or nothing when it is over kMaxRequestBody (by its Content-Length or as it streams).
std::optional<std::string> readBody(Poco::Net::HTTPServerRequest& request);

void sendJson(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
              const std::string& body);
void sendError(Poco::Net::HTTPServerResponse& response, Poco::Net::HTTPResponse::HTTPStatus status,
               const Error& error);
// With the HTTP status of the error's kind (httpStatusOf, Error.h).
void sendFailure(Poco::Net::HTTPServerResponse& response, const Error& error);
// 405 with Allow.
void sendWrongMethod(Poco::Net::HTTPServerResponse& response, const std::string& method, const std::string& allowed);

}  // namespace faxover::orchestrator::api
