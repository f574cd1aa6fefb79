#pragma once
// One HTTP request to the local API or the hook listener: routing, body limit, caller identity,
// JSON in and out. Every exception stops here: a bad request gets a status code, never a crashed
// server.
#include "faxover/orchestrator/api/AdminApi.h"
#include "faxover/orchestrator/api/ApiEndpoint.h"
#include "faxover/orchestrator/api/ApiServer.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <string>

namespace faxover::orchestrator::api {

class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
public:
    ApiRequestHandler(AdminApi& api, ApiEndpoint::Transport transport, ApiRole role);
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    void route(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
    void routeAdmin(Poco::Net::HTTPServerRequest& request, const std::string& path, const std::string& body,
                    Poco::Net::HTTPServerResponse& response);
    void serveStatus(Poco::Net::HTTPServerResponse& response);
    void serveCommand(Poco::Net::HTTPServerRequest& request, const std::string& body,
                      Poco::Net::HTTPServerResponse& response);
    void serveLicences(Poco::Net::HTTPServerResponse& response);
    void serveBoards(Poco::Net::HTTPServerResponse& response);
    void servePlan(Poco::Net::HTTPServerRequest& request, const std::string& body,
                   Poco::Net::HTTPServerResponse& response);
    // The command in a request's body, checked, with the caller as its actor (commands and plan).
    Result<engine::AdminCommand> commandOf(Poco::Net::HTTPServerRequest& request, const std::string& body) const;
    void serveAudit(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
    void serveMayStart(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);
    void serveHostEvent(Poco::Net::HTTPServerRequest& request, const std::string& body,
                        Poco::Net::HTTPServerResponse& response);
    Result<std::string> actorOf(Poco::Net::HTTPServerRequest& request) const;
    std::string peerOf(Poco::Net::HTTPServerRequest& request) const;

    AdminApi& api_;
    ApiEndpoint::Transport transport_;
    ApiRole role_;
};

class ApiRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    ApiRequestHandlerFactory(AdminApi& api, ApiEndpoint::Transport transport, ApiRole role);
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

private:
    AdminApi& api_;
    ApiEndpoint::Transport transport_;
    ApiRole role_;
};

}  // namespace faxover::orchestrator::api
