#pragma once
// Raw HTTP against the API server, for what ApiClient never sends: wrong paths and methods,
// oversized or malformed bodies, missing headers.
#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <map>
#include <string>

namespace faxover::orchestrator::api::test {

struct RawAnswer {
    int status = 0;
    std::string body;
    std::string allow;  // the Allow header of a 405
};

inline Poco::Net::SocketAddress socketAddressOf(const ApiEndpoint& endpoint) {
    return endpoint.transport == ApiEndpoint::Transport::UnixSocket
               ? Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, endpoint.path)
               : Poco::Net::SocketAddress(endpoint.host, endpoint.port);
}

inline RawAnswer rawRequest(const ApiEndpoint& endpoint, const std::string& method, const std::string& path,
                            const std::string& body = "", const std::map<std::string, std::string>& headers = {},
                            bool chunked = false) {
    Poco::Net::StreamSocket socket(socketAddressOf(endpoint));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPClientSession session(socket);
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPRequest::HTTP_1_1);
    request.setHost("localhost");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (chunked) {
        request.setChunkedTransferEncoding(true);
    } else if (!body.empty()) {
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    RawAnswer answer;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), answer.body);
    answer.status = static_cast<int>(response.getStatus());
    answer.allow = response.get("Allow", "");
    return answer;
}

}  // namespace faxover::orchestrator::api::test
