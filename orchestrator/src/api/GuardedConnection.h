#pragma once
// What one client may hold of an API listener (docs/daemon.md, "What a client may hold"): a
// connection is a request (no keep-alive), and
//   - the whole request, from the first byte to the last of the answer, has a deadline: a timer
//     shuts the socket down at it, so a client that sends a header byte every few seconds is cut
//     off instead of holding a worker (Poco's own timeout is per read);
//   - a TCP client (a peer address) holds at most a few connections at once: one more is answered
//     429 at once, so one client cannot take every worker (the unix socket is its owner's alone);
//   - a request header Poco cannot parse (Content-Length: 2^64) is answered 400, not dropped.
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Timespan.h>
#include <Poco/Util/Timer.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace faxover::orchestrator::api {

struct ConnectionLimits {
    Poco::Timespan requestDeadline;
    int connectionsPerClient = 0;
};

// Connections held, per client. Shared by the connections of one listener.
class ClientConnections {
public:
    explicit ClientConnections(int limit) : limit_(limit) {}
    bool take(const std::string& client);  // false: the client holds `limit` already
    void give(const std::string& client);

private:
    const int limit_;
    std::mutex mutex_;
    std::map<std::string, int> held_;
};

class ShutDownAtDeadline;

// The requests a listener is serving, to cut them all off when it stops.
class OpenRequests {
public:
    void add(ShutDownAtDeadline* request);
    void remove(ShutDownAtDeadline* request);
    void shutDownAll();  // each one's socket is shut down: its worker's read returns at once

private:
    std::mutex mutex_;
    std::set<ShutDownAtDeadline*> open_;
};

class GuardedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    GuardedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                             ConnectionLimits limits, std::shared_ptr<OpenRequests> open);
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    ConnectionLimits limits_;
    std::shared_ptr<ClientConnections> clients_;
    std::shared_ptr<Poco::Util::Timer> deadlines_;  // one thread: it only shuts sockets down
    std::shared_ptr<OpenRequests> open_;
};

}  // namespace faxover::orchestrator::api
