#pragma once
// A stand-in HTTP server for the hook's client code only (status, body, delay): the lab tests ask
// the real daemon.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/URI.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <utility>

namespace faxover::hook::test {

class CannedHandler : public Poco::Net::HTTPRequestHandler {
public:
    using Reply = std::function<std::pair<int, std::string>(const Poco::URI&)>;
    explicit CannedHandler(Reply reply) : reply_(std::move(reply)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        auto [status, body] = reply_(Poco::URI(request.getURI()));
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        response.setContentType("application/json");
        response.sendBuffer(body.data(), body.size());
    }

private:
    Reply reply_;
};

class CannedFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit CannedFactory(CannedHandler::Reply reply) : reply_(std::move(reply)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new CannedHandler(reply_);
    }

private:
    CannedHandler::Reply reply_;
};

struct CannedServer {
    explicit CannedServer(CannedHandler::Reply reply)
        : socket(Poco::Net::SocketAddress("127.0.0.1", 0)),
          server(new CannedFactory(std::move(reply)), socket, new Poco::Net::HTTPServerParams) {
        server.start();
    }
    // stopAll does not wait for a handler still running (the slow one): wait for it here, or its
    // thread outlives the test and meets Poco's statics being destroyed at exit (ASan saw it).
    ~CannedServer() {
        server.stopAll(true);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while ((server.currentConnections() > 0 || server.currentThreads() > 0) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(socket.address().port()); }
    Poco::Net::ServerSocket socket;
    Poco::Net::HTTPServer server;
};

}  // namespace faxover::hook::test
