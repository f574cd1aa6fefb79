#include "faxover/orchestrator/api/ApiServer.h"

#include "ApiListener.h"
#include "GuardedConnection.h"
#include "ApiRequestHandler.h"

#include <Poco/Exception.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <filesystem>

namespace faxover::orchestrator::api {

namespace {

// Each listener has its own workers, queue and limits (the admin API and the hook listener never
// wait for each other), and more workers than one client may hold: a client that holds its share
// with slow requests leaves the rest to others (docs/daemon.md, "What a client may hold").
struct ListenerShape {
    int workers;
    int queued;  // connections waiting for a worker; beyond, Poco closes new ones
    ConnectionLimits limits;
};

ListenerShape shapeOf(ApiRole role) {
    // Admin traffic is a person or a few scripts at a time, all from loopback (one address). A
    // request is answered in milliseconds: ten seconds for the whole of one only ever cuts off a
    // client that trickles.
    if (role == ApiRole::Admin) return {16, 32, {Poco::Timespan(10, 0), 12}};
    // The hooks of a host autostarting its VMs ask at once, one connection per VM, and a hook whose
    // question goes unanswered refuses a protected domain: more per client, more workers.
    return {32, 128, {Poco::Timespan(10, 0), 8}};
}

// Poco's own timeout: per read or write, within the request's deadline.
const Poco::Timespan kSocketTimeout(5, 0);

Poco::Net::HTTPServerParams::Ptr serverParams(const ListenerShape& shape) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(shape.workers);
    params->setMaxQueued(shape.queued);
    params->setTimeout(kSocketTimeout);
    params->setThreadIdleTime(Poco::Timespan(10, 0));
    params->setKeepAlive(false);  // one request per connection: a worker is never parked on an idle client
    params->setServerName("faxover");
    return params;
}

}  // namespace

// Declaration order matters: the server is destroyed before the pool its connections run on.
struct ApiServer::Running {
    explicit Running(ApiRole role) : shape(shapeOf(role)), pool(1, shape.workers) {}
    ListenerShape shape;
    Poco::ThreadPool pool;
    Poco::Net::ServerSocket socket;
    std::shared_ptr<OpenRequests> open = std::make_shared<OpenRequests>();
    std::unique_ptr<Poco::Net::TCPServer> server;  // null while only bound
    ApiEndpoint bound;
};

ApiServer::ApiServer(AdminApi& api, ApiEndpoint endpoint, ApiRole role)
    : api_(api), endpoint_(std::move(endpoint)), role_(role) {}

ApiServer::~ApiServer() { stop(); }

Result<void> ApiServer::bind() {
    if (running_) return Error{ErrorKind::Refused, "API server already bound"};
    BOOST_OUTCOME_TRY(socket, openApiListener(endpoint_, role_ == ApiRole::Admin));
    auto running = std::make_unique<Running>(role_);
    running->socket = socket;
    running->bound = endpoint_;
    if (endpoint_.transport == ApiEndpoint::Transport::Tcp) running->bound.port = socket.address().port();
    running_ = std::move(running);
    return ok();
}

Result<void> ApiServer::start() {
    if (!running_) {
        BOOST_OUTCOME_TRY(bind());
    }
    if (running_->server) return Error{ErrorKind::Refused, "API server already started"};
    try {
        const auto params = serverParams(running_->shape);
        running_->server = std::make_unique<Poco::Net::TCPServer>(
            new GuardedConnectionFactory(params, new ApiRequestHandlerFactory(api_, endpoint_.transport, role_),
                                         running_->shape.limits, running_->open),
            running_->pool, running_->socket, params);
        running_->server->start();
        return ok();
    } catch (const Poco::Exception& error) {
        stop();
        return Error{ErrorKind::Internal,
                         std::string(role_ == ApiRole::Hook ? "cannot start the hook listener on "
                                                            : "cannot start the API server on ") +
                             endpoint_.toString() + ": " + error.displayText()};
    }
}

void ApiServer::stop() {
    if (!running_) return;
    try {
        if (running_->server) running_->server->stop();
        running_->open->shutDownAll();  // requests under way end now, not at their deadline
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
