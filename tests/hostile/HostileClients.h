#pragma once
// Clients that attack the daemon's HTTP listeners (docs/daemon.md "What a client may hold"), shared
// by the unit tests (a server on loopback) and the lab's hostile-client test (the real daemon during
// a failover). Each connects from a chosen local address, since the listeners' limits are per client
// address.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <string>

namespace faxover::hostile {

// A connection that sends the start of a request and then one more header byte each time trickle()
// is called, as a client attacking with slow requests does: a per-read timeout never fires on it.
class TricklingClient {
public:
    TricklingClient(const Poco::Net::SocketAddress& to, const std::string& from,
                    const std::string& target = "/v1/hook/may-start?host=h1&name=fax-a")
        : socket_(Poco::Net::SocketAddress::IPv4), opened_(std::chrono::steady_clock::now()) {
        if (!from.empty()) socket_.impl()->bind(Poco::Net::SocketAddress(from, 0), true);
        socket_.connect(to, Poco::Timespan(2, 0));  // a listener whose queue is full may never accept
        const std::string start = "GET " + target + " HTTP/1.1\r\nHost: x\r\n";
        socket_.sendBytes(start.data(), static_cast<int>(start.size()));
    }
    // One more header byte; false once the server has closed or answered (see answer()).
    bool trickle() {
        try {
            socket_.setReceiveTimeout(Poco::Timespan(0, 1000));
            char chunk[512];
            try {
                const int got = socket_.receiveBytes(chunk, sizeof chunk);
                if (got > 0) answer_.append(chunk, static_cast<std::size_t>(got));
                return false;  // an answer, or closed
            } catch (const Poco::TimeoutException&) {
            }
            return socket_.sendBytes("X", 1) == 1;
        } catch (const Poco::Exception&) {
            return false;
        }
    }
    // What the server sent before closing: "" when it cut the connection off without a word.
    const std::string& answer() const { return answer_; }
    std::chrono::steady_clock::duration age() const { return std::chrono::steady_clock::now() - opened_; }

private:
    Poco::Net::StreamSocket socket_;
    std::chrono::steady_clock::time_point opened_;
    std::string answer_;
};

// Sends `bytes` from `from` and returns whatever comes back until the server closes, or what came
// within `wait` followed by "(no more within N ms)". "" when the connection itself failed.
inline std::string rawExchange(const Poco::Net::SocketAddress& to, const std::string& from, const std::string& bytes,
                               std::chrono::milliseconds wait = std::chrono::milliseconds(3000)) {
    try {
        Poco::Net::StreamSocket socket(to.family());  // a unix socket too
        if (!from.empty()) socket.impl()->bind(Poco::Net::SocketAddress(from, 0), true);
        socket.connect(to, Poco::Timespan(static_cast<long>(wait.count()) * 1000));
        socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));  // and the connection stays open
        socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(wait.count()) * 1000));
        std::string answer;
        char chunk[1024];
        try {
            for (int got = 0; (got = socket.receiveBytes(chunk, sizeof chunk)) > 0;)
                answer.append(chunk, static_cast<std::size_t>(got));
        } catch (const Poco::TimeoutException&) {
            answer += "(no more within " + std::to_string(wait.count()) + " ms)";
        } catch (const Poco::Exception&) {  // reset after its answer: what came is the answer
        }
        return answer;
    } catch (const Poco::Exception&) {
        return "";
    }
}

// The status code of an HTTP answer ("HTTP/1.1 429 ..."), 0 when there is none.
inline int statusOf(const std::string& answer) {
    if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
    try {
        return std::stoi(answer.substr(9, 3));
    } catch (const std::exception&) {
        return 0;
    }
}

}  // namespace faxover::hostile
