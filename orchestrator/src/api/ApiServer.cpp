#include "faxover/orchestrator/api/ApiServer.h"

#include "ApiListener.h"
#include "ApiRequestHandler.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <filesystem>

namespace faxover::orchestrator::api {

namespace {

// Admin traffic is a person or a script at a time: a few workers and a short queue are plenty, and
// bound what a misbehaving local client can tie up. Beyond the queue, connections are closed.
constexpr int kWorkerThreads = 4;
constexpr int kQueuedConnections = 16;
// The hook listener sees bursts (a host autostarting its VMs asks once per VM, at once), and a
// hook whose connection is dropped refuses protected domains: queue more, same workers.
constexpr int kHookQueuedConnections = 64;
// A client that stops sending mid-request holds a worker at most this long.
const Poco::Timespan kSocketTimeout(5, 0);

Poco::Net::HTTPServerParams::Ptr serverParams(ApiRole role) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(kWorkerThreads);
    params->setMaxQueued(role == ApiRole::Hook ? kHookQueuedConnections : kQueuedConnections);
    params->setTimeout(kSocketTimeout);
    params->setThreadIdleTime(Poco::Timespan(10, 0));
    params->setKeepAlive(false);  // one request per connection: a worker is never parked on an idle client
    params->setServerName("faxover");
    return params;
}

}  // namespace

// Declaration order matters: the server is destroyed before the pool its connections run on.
struct ApiServer::Running {
    Poco::ThreadPool pool{1, kWorkerThreads};
    Poco::Net::ServerSocket socket;
    std::unique_ptr<Poco::Net::HTTPServer> server;  // null while only bound
    ApiEndpoint bound;
};

ApiServer::ApiServer(AdminApi& api, ApiEndpoint endpoint, ApiRole role)
    : api_(api), endpoint_(std::move(endpoint)), role_(role) {}

ApiServer::~ApiServer() { stop(); }

hv::Result<void> ApiServer::bind() {
    if (running_) return hv::Error{hv::ErrorKind::OperationInvalid, "API server already bound"};
    BOOST_OUTCOME_TRY(socket, openApiListener(endpoint_, role_ == ApiRole::Admin));
    auto running = std::make_unique<Running>();
    running->socket = socket;
    running->bound = endpoint_;
    if (endpoint_.transport == ApiEndpoint::Transport::Tcp) running->bound.port = socket.address().port();
    running_ = std::move(running);
    return hv::ok();
}

hv::Result<void> ApiServer::start() {
    if (!running_) {
        BOOST_OUTCOME_TRY(bind());
    }
    if (running_->server) return hv::Error{hv::ErrorKind::OperationInvalid, "API server already started"};
    try {
        running_->server = std::make_unique<Poco::Net::HTTPServer>(
            new ApiRequestHandlerFactory(api_, endpoint_.transport, role_), running_->pool, running_->socket,
            serverParams(role_));
        running_->server->start();
        return hv::ok();
    } catch (const Poco::Exception& error) {
        stop();
        return hv::Error{hv::ErrorKind::OperationFailed,
                         std::string(role_ == ApiRole::Hook ? "cannot start the hook listener on "
                                                            : "cannot start the API server on ") +
                             endpoint_.toString() + ": " + error.displayText()};
    }
}

void ApiServer::stop() {
    if (!running_) return;
    try {
        if (running_->server) running_->server->stopAll(true);
        running_->socket.close();
        running_->pool.joinAll();
    } catch (const Poco::Exception&) {
        // Stopping is best effort; the pool's destructor still joins its threads.
    }
    running_.reset();
    if (endpoint_.transport == ApiEndpoint::Transport::UnixSocket) {
        std::error_code ignored;
        std::filesystem::remove(endpoint_.path, ignored);
    }
}

ApiEndpoint ApiServer::boundEndpoint() const { return running_ ? running_->bound : endpoint_; }

}  // namespace faxover::orchestrator::api
