#include "GuardedConnection.h"

#include "faxover/orchestrator/api/Json.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Util/TimerTask.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>

namespace faxover::orchestrator::api {

namespace {

using Poco::Net::HTTPResponse;

// Who a TCP connection belongs to, for the per-client limit: the peer's IP address (its port changes
// with every connection).
std::string clientOf(const Poco::Net::StreamSocket& socket) {
    return socket.peerAddress().host().toString();
}

// Writes a whole answer on a connection no HTTP exchange owns (before Poco's, or after Poco's has
// closed its descriptor), then ends it.
void answerAndClose(int descriptor, const Error& error) {
    const std::string body = toJson(error);
    HTTPResponse response(static_cast<HTTPResponse::HTTPStatus>(httpStatusOf(error.kind)));
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.setKeepAlive(false);
    std::ostringstream text;
    response.write(text);
    text << body;
    const std::string answer = text.str();
    // Best effort and never blocking for long: the socket has Poco's send timeout.
    if (::send(descriptor, answer.data(), answer.size(), MSG_NOSIGNAL) >= 0) ::shutdown(descriptor, SHUT_WR);
}

}  // namespace

// Shuts the connection's socket down at the deadline unless the request ended first. It holds a
// duplicate descriptor of the connection's own (GuardedConnection::run): Poco closes the original
// when its exchange ends, the duplicate is closed only once `ended` is set, so no later connection
// reusing the number can be shut down by mistake. A socket reference would instead keep the
// connection open after its answer.
class ShutDownAtDeadline final : public Poco::Util::TimerTask {
public:
    explicit ShutDownAtDeadline(int descriptor) : descriptor_(descriptor) {}
    void run() override {
        std::lock_guard lock(mutex_);
        if (!ended_) ::shutdown(descriptor_, SHUT_RDWR);  // the worker's blocked read returns
    }
    void requestEnded() {
        std::lock_guard lock(mutex_);
        ended_ = true;
        cancel();
    }

private:
    const int descriptor_;
    std::mutex mutex_;
    bool ended_ = false;
};

namespace {

class GuardedConnection final : public Poco::Net::TCPServerConnection {
public:
    GuardedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, ConnectionLimits limits,
                      std::shared_ptr<ClientConnections> clients, std::shared_ptr<Poco::Util::Timer> deadlines,
                      std::shared_ptr<OpenRequests> open)
        : TCPServerConnection(socket), params_(std::move(params)), handlers_(std::move(handlers)), limits_(limits),
          clients_(std::move(clients)), deadlines_(std::move(deadlines)), open_(std::move(open)) {}

    void run() override {
        // Only its owner (root) can connect to the unix socket: no limit per client there.
        const bool overTcp = socket().address().family() != Poco::Net::SocketAddress::UNIX_LOCAL;
        const std::string client = overTcp ? clientOf(socket()) : "";
        if (overTcp && !clients_->take(client)) {
            return answerAndClose(socket().impl()->sockfd(),
                                  {ErrorKind::Busy, "this client already holds " +
                                                        std::to_string(limits_.connectionsPerClient) +
                                                        " connections to this listener; retry when one has ended"});
        }
        const int spare = ::fcntl(socket().impl()->sockfd(), F_DUPFD_CLOEXEC, 0);
        Poco::AutoPtr<ShutDownAtDeadline> deadline = new ShutDownAtDeadline(spare);
        if (spare >= 0) {
            deadlines_->schedule(deadline, Poco::Timestamp() + limits_.requestDeadline.totalMicroseconds());
            open_->add(deadline.get());
        }
        try {
            Poco::Net::HTTPServerConnection(socket(), params_, handlers_).run();
        } catch (const Poco::SyntaxException& error) {
            // A header Poco reads but cannot take, such as Content-Length: 18446744073709551616.
            if (spare >= 0) answerAndClose(spare, {ErrorKind::BadRequest, "malformed request header: " + error.displayText()});
        } catch (const Poco::Exception&) {
            // The client went away or the deadline cut it off: its request is over.
        }
        if (spare >= 0) {
            open_->remove(deadline.get());
            deadline->requestEnded();
            ::close(spare);
        }
        if (overTcp) clients_->give(client);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    ConnectionLimits limits_;
    std::shared_ptr<ClientConnections> clients_;
    std::shared_ptr<Poco::Util::Timer> deadlines_;
    std::shared_ptr<OpenRequests> open_;
};

}  // namespace

void OpenRequests::add(ShutDownAtDeadline* request) {
    std::lock_guard lock(mutex_);
    open_.insert(request);
}

void OpenRequests::remove(ShutDownAtDeadline* request) {
    std::lock_guard lock(mutex_);
    open_.erase(request);
}

void OpenRequests::shutDownAll() {
    std::lock_guard lock(mutex_);
    for (auto* request : open_) request->run();
}

bool ClientConnections::take(const std::string& client) {
    std::lock_guard lock(mutex_);
    int& held = held_[client];
    if (held >= limit_) return false;
    ++held;
    return true;
}

void ClientConnections::give(const std::string& client) {
    std::lock_guard lock(mutex_);
    if (auto it = held_.find(client); it != held_.end() && --it->second <= 0) held_.erase(it);
}

GuardedConnectionFactory::GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                                                   Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                                                   ConnectionLimits limits, std::shared_ptr<OpenRequests> open)
    : params_(std::move(params)), handlers_(std::move(handlers)), limits_(limits),
      clients_(std::make_shared<ClientConnections>(limits.connectionsPerClient)),
      deadlines_(std::make_shared<Poco::Util::Timer>()), open_(std::move(open)) {}

Poco::Net::TCPServerConnection* GuardedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
    return new GuardedConnection(socket, params_, handlers_, limits_, clients_, deadlines_, open_);
}

}  // namespace faxover::orchestrator::api
