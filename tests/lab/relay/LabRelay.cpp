// faxover-lab-relay: a user-space TCP relay that adds delay and stalls to a lab host's management
// link. This machine's kernel has no netem qdisc, so `faxover-lab relay HOST DELAY_MS` puts this in
// the path instead (see tests/lab/README.md, "Relay").
//
//   faxover-lab-relay [--delay-ms N] [--pid-file PATH] [--state-file PATH] LISTEN_ADDR:PORT TARGET_ADDR:PORT
//
// Every connection accepted on LISTEN is forwarded to TARGET, both directions. Each chunk read is
// held until its due time (arrival + delay) and delivered in order; an end of stream (EOF, or a
// reset) travels behind the data like one more chunk. Signals:
//   SIGUSR1  stall: connections stay open and are still read (buffered), but nothing is forwarded,
//            not even a close, and new connections are accepted but not connected to TARGET;
//   SIGUSR2  resume: everything buffered whose due time has passed goes out at once;
//   SIGTERM, SIGINT, SIGHUP  stop (all connections close).
// The relay also stops by itself when LISTEN_ADDR is no longer an address of this machine (the lab's
// `down` deleted the bridge), so a relay whose pid file was lost cannot outlive its lab.
// A peer's error only ends that connection pair. Reading a side stops while 8 MiB from it wait to be
// delivered. One log line per event on stderr. The state file holds "forwarding DELAY" or
// "stalled DELAY" and is rewritten (atomically) once a signal has taken effect.
#include <Poco/Exception.h>
#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/Socket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kReadBytes = 64 * 1024;            // one read, one chunk
constexpr std::size_t kBufferLimit = 8 * 1024 * 1024;    // per direction: stop reading beyond this
constexpr milliseconds kTick{20};                        // how soon a stall, resume or stop is noticed
const Poco::Timespan kConnectTimeout(5, 0);              // connecting to TARGET
constexpr int kMaxConnections = 64;                      // pool threads; more wait in the queue

struct Config {
    Poco::Net::SocketAddress listen;
    Poco::Net::SocketAddress target;
    milliseconds delay{0};
    std::string pidFile;
    std::string stateFile;
};

std::atomic<bool> gStalled{false};
std::atomic<bool> gStopping{false};
std::atomic<unsigned long> gConnectionCount{0};

void log(const std::string& message) {
    static std::mutex mutex;
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm local{};
    localtime_r(&seconds, &local);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%H:%M:%S", &local);
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "%s.%03d faxover-lab-relay[%d]: %s\n", stamp, static_cast<int>(millis),
                 static_cast<int>(::getpid()), message.c_str());
    std::fflush(stderr);
}

// Writes `text` to `path` so that readers see the old or the new content, never a partial one.
void writeFileAtomically(const std::string& path, const std::string& text) {
    if (path.empty()) return;
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        if (!out) {
            log("cannot write " + temporary);
            return;
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) log("cannot rename " + temporary + " to " + path);
}

void writeState(const Config& config) {
    writeFileAtomically(config.stateFile,
                        std::string(gStalled ? "stalled " : "forwarding ") + std::to_string(config.delay.count()) + "\n");
}

// One direction of a connection pair: chunks read from the source, waiting for their due time.
struct Direction {
    struct Chunk {
        Clock::time_point due;
        std::string bytes;
    };
    std::deque<Chunk> queue;
    std::size_t sentOfFront = 0;              // bytes of queue.front() already delivered
    std::size_t buffered = 0;                 // bytes held, for the memory bound
    std::optional<Clock::time_point> endDue;  // the source ended (EOF or error); deliver the end then
    bool finished = false;                    // end delivered, or the destination is gone
    bool blocked = false;                     // due data waits for the destination's send buffer
    std::uint64_t delivered = 0;

    // When something is next due, if anything is pending.
    std::optional<Clock::time_point> nextDue() const {
        if (finished) return std::nullopt;
        if (!queue.empty()) return queue.front().due;
        return endDue;
    }
};

// Sends what the socket takes now; 0 when its send buffer is full. Throws on a dead peer.
std::size_t sendSome(Poco::Net::StreamSocket& socket, const char* data, std::size_t size) {
    try {
        const int sent = socket.sendBytes(data, static_cast<int>(std::min(size, kReadBytes)), MSG_NOSIGNAL);
        return sent > 0 ? static_cast<std::size_t>(sent) : 0;
    } catch (const Poco::IOException& error) {
        // Poco 1.11 throws, rather than returning -1, when a non-blocking send would block.
        if (error.code() == EAGAIN || error.code() == EWOULDBLOCK) return 0;
        throw;
    }
}

class RelayConnection final : public Poco::Net::TCPServerConnection {
public:
    RelayConnection(const Poco::Net::StreamSocket& socket, const Config& config)
        : Poco::Net::TCPServerConnection(socket), config_(config), id_(++gConnectionCount) {}

    void run() override {
        std::string peer = "?";
        try {
            peer = socket().peerAddress().toString();
        } catch (const Poco::Exception&) {
            // The client may already be gone; the pump notices that itself.
        }
        log("#" + std::to_string(id_) + " " + peer + " connected" + (gStalled ? " (stalled: held)" : ""));
        std::string reason;
        try {
            reason = pump();
        } catch (const Poco::Exception& error) {
            reason = "relay error: " + error.displayText();
        } catch (const std::exception& error) {
            reason = std::string("relay error: ") + error.what();
        }
        log("#" + std::to_string(id_) + " closed (" + reason + "): " + std::to_string(up_.delivered) +
            " bytes to target, " + std::to_string(down_.delivered) + " bytes back");
    }

private:
    enum class Side { Client, Target };

    Direction& from(Side side) { return side == Side::Client ? up_ : down_; }
    Direction& towards(Side side) { return side == Side::Client ? down_ : up_; }
    bool& reading(Side side) { return side == Side::Client ? clientReading_ : targetReading_; }
    Poco::Net::StreamSocket& socketOf(Side side) { return side == Side::Client ? socket() : *target_; }
    static const char* nameOf(Side side) { return side == Side::Client ? "client" : "target"; }

    // A side's stream ended: what it sent before still goes out, then the end, after the delay.
    void sourceEnded(Side side, Clock::time_point now) {
        reading(side) = false;
        Direction& direction = from(side);
        if (!direction.endDue) direction.endDue = now + config_.delay;
    }

    // A side failed (reset, broken pipe): nothing more can reach it or come from it.
    void sideDied(Side side, Clock::time_point now, const std::string& why) {
        if (reason_.empty()) reason_ = std::string(nameOf(side)) + ": " + why;
        sourceEnded(side, now);
        Direction& direction = towards(side);
        direction.queue.clear();
        direction.buffered = 0;
        direction.finished = true;
    }

    void readFrom(Side side, Clock::time_point now) {
        std::string bytes(kReadBytes, '\0');
        int received = 0;
        try {
            received = socketOf(side).receiveBytes(bytes.data(), static_cast<int>(bytes.size()));
        } catch (const Poco::Exception& error) {
            sideDied(side, now, error.displayText());
            return;
        }
        if (received < 0) return;  // would block (spurious wake-up)
        if (received == 0) {
            if (reason_.empty()) reason_ = std::string(nameOf(side)) + " closed";
            sourceEnded(side, now);
            return;
        }
        Direction& direction = from(side);
        if (direction.finished) return;  // its destination is gone: nobody will read this
        bytes.resize(static_cast<std::size_t>(received));
        direction.buffered += bytes.size();
        direction.queue.push_back({now + config_.delay, std::move(bytes)});
    }

    // Delivers what is due to `side`'s peer, then the end of stream once everything before it went.
    void deliver(Side source, Clock::time_point now) {
        Direction& direction = from(source);
        const Side destination = source == Side::Client ? Side::Target : Side::Client;
        direction.blocked = false;
        if (direction.finished) return;
        try {
            while (!direction.queue.empty() && direction.queue.front().due <= now) {
                auto& chunk = direction.queue.front();
                const std::size_t sent = sendSome(socketOf(destination), chunk.bytes.data() + direction.sentOfFront,
                                                  chunk.bytes.size() - direction.sentOfFront);
                if (sent == 0) {
                    direction.blocked = true;
                    return;
                }
                direction.sentOfFront += sent;
                direction.delivered += sent;
                direction.buffered -= sent;
                if (direction.sentOfFront == chunk.bytes.size()) {
                    direction.queue.pop_front();
                    direction.sentOfFront = 0;
                }
            }
            if (direction.queue.empty() && direction.endDue && *direction.endDue <= now) {
                socketOf(destination).shutdownSend();
                direction.finished = true;
            }
        } catch (const Poco::Exception& error) {
            sideDied(destination, now, error.displayText());
        }
    }

    // Connects to TARGET (never while stalled: a hung link lets no SYN through). Returns false
    // when the pair is over before it began.
    bool connectTarget() {
        if (up_.endDue && up_.queue.empty()) {
            reason_ = "client left before anything was forwarded";
            return false;
        }
        try {
            Poco::Net::StreamSocket target;
            target.connect(config_.target, kConnectTimeout);
            target.setBlocking(false);
            target.setNoDelay(true);
            target_ = target;
            return true;
        } catch (const Poco::Exception& error) {
            reason_ = "cannot connect to " + config_.target.toString() + ": " + error.displayText();
            return false;
        }
    }

    std::string pump() {
        socket().setBlocking(false);
        socket().setNoDelay(true);
        while (!gStopping) {
            const bool stalled = gStalled;
            Clock::time_point now = Clock::now();
            if (!target_ && !stalled && !connectTarget()) return reason_;
            if (!stalled) {
                deliver(Side::Client, now);
                if (target_) deliver(Side::Target, now);
            }
            if (up_.finished && down_.finished) return reason_.empty() ? "done" : reason_;

            Poco::Net::Socket::SocketList readList;
            Poco::Net::Socket::SocketList writeList;
            Poco::Net::Socket::SocketList exceptList;
            if (clientReading_ && up_.buffered < kBufferLimit) readList.push_back(socket());
            if (target_ && targetReading_ && down_.buffered < kBufferLimit) readList.push_back(*target_);
            milliseconds wait = kTick;
            if (!stalled) {
                if (up_.blocked && target_) writeList.push_back(*target_);
                if (down_.blocked) writeList.push_back(socket());
                for (const Direction* direction : {&up_, &down_}) {
                    if (direction->blocked) continue;
                    if (const auto due = direction->nextDue()) {
                        // +1 ms: the wait is in whole milliseconds; never wake up just before the due time.
                        wait = std::min(wait, std::chrono::duration_cast<milliseconds>(*due - now) + milliseconds(1));
                    }
                }
                wait = std::max(wait, milliseconds(0));
            }
            const Poco::Timespan timeout(0, static_cast<long>(wait.count()) * 1000);
            if (readList.empty() && writeList.empty()) {
                std::this_thread::sleep_for(wait);  // Poco's select returns at once for empty lists
                continue;
            }
            if (Poco::Net::Socket::select(readList, writeList, exceptList, timeout) <= 0) continue;
            now = Clock::now();
            for (const auto& ready : readList) readFrom(ready == socket() ? Side::Client : Side::Target, now);
        }
        return "relay stopping";
    }

    const Config config_;
    const unsigned long id_;
    std::optional<Poco::Net::StreamSocket> target_;
    Direction up_;    // client -> target
    Direction down_;  // target -> client
    bool clientReading_ = true;
    bool targetReading_ = true;
    std::string reason_;
};

class RelayConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    explicit RelayConnectionFactory(Config config) : config_(std::move(config)) {}
    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
        return new RelayConnection(socket, config_);
    }

private:
    const Config config_;
};

// Whether `address` is still one of this machine's addresses (binding a UDP socket to it works).
bool addressStillLocal(const Poco::Net::IPAddress& address) {
    if (address.isWildcard()) return true;
    try {
        Poco::Net::DatagramSocket probe;
        probe.bind(Poco::Net::SocketAddress(address, 0));
        return true;
    } catch (const Poco::Exception& error) {
        return error.code() != EADDRNOTAVAIL;
    }
}

[[noreturn]] void usage(const std::string& problem) {
    std::cerr << "faxover-lab-relay: " << problem << "\n"
              << "usage: faxover-lab-relay [--delay-ms N] [--pid-file PATH] [--state-file PATH] "
                 "LISTEN_ADDR:PORT TARGET_ADDR:PORT\n"
                 "  SIGUSR1 stalls every connection, SIGUSR2 resumes; SIGTERM stops.\n";
    std::exit(2);
}

Config parseArguments(int argc, char** argv) {
    Config config;
    std::vector<std::string> endpoints;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(argument + " needs a value");
            return argv[++i];
        };
        if (argument == "--delay-ms") {
            const std::string text = value();
            if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) {
                usage("--delay-ms needs a number of milliseconds (0..999999), not '" + text + "'");
            }
            config.delay = milliseconds(std::stol(text));
        } else if (argument == "--pid-file") {
            config.pidFile = value();
        } else if (argument == "--state-file") {
            config.stateFile = value();
        } else if (argument == "-h" || argument == "--help") {
            usage("help");
        } else if (!argument.empty() && argument.front() == '-') {
            usage("unknown option " + argument);
        } else {
            endpoints.push_back(argument);
        }
    }
    if (endpoints.size() != 2) usage("need LISTEN_ADDR:PORT and TARGET_ADDR:PORT");
    try {
        config.listen = Poco::Net::SocketAddress(endpoints[0]);
        config.target = Poco::Net::SocketAddress(endpoints[1]);
    } catch (const Poco::Exception& error) {
        usage("bad address: " + error.displayText());
    }
    return config;
}

}  // namespace

int main(int argc, char** argv) {
    const Config config = parseArguments(argc, argv);

    // Signals are taken synchronously by this thread (sigtimedwait); every thread started below
    // inherits the mask, so no handler ever runs on a relay thread.
    sigset_t control;
    sigemptyset(&control);
    for (int signal : {SIGUSR1, SIGUSR2, SIGTERM, SIGINT, SIGHUP}) sigaddset(&control, signal);
    pthread_sigmask(SIG_BLOCK, &control, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    std::optional<Poco::Net::ServerSocket> listener;
    try {
        listener.emplace(config.listen, 64);  // binds with SO_REUSEADDR, listens
    } catch (const Poco::Exception& error) {
        log("cannot listen on " + config.listen.toString() + ": " + error.displayText());
        return 1;
    }

    Poco::ThreadPool pool(2, kMaxConnections, 60);
    auto params = Poco::Net::TCPServerParams::Ptr(new Poco::Net::TCPServerParams);
    params->setMaxThreads(kMaxConnections);
    params->setMaxQueued(kMaxConnections);
    {
        Poco::Net::TCPServer server(Poco::Net::TCPServerConnectionFactory::Ptr(new RelayConnectionFactory(config)),
                                    pool, *listener, params);
        server.start();
        writeState(config);
        writeFileAtomically(config.pidFile, std::to_string(::getpid()) + "\n");
        log("listening on " + config.listen.toString() + ", forwarding to " + config.target.toString() +
            ", delay " + std::to_string(config.delay.count()) + " ms each way");

        for (;;) {
            const timespec oneSecond{1, 0};
            const int signal = sigtimedwait(&control, nullptr, &oneSecond);
            if (signal == SIGUSR1 || signal == SIGUSR2) {
                const bool stall = signal == SIGUSR1;
                if (gStalled.exchange(stall) != stall) log(stall ? "stalled" : "resumed");
                writeState(config);
            } else if (signal > 0) {
                log(std::string("stopping on signal ") + strsignal(signal));
                break;
            } else if (!addressStillLocal(config.listen.host())) {
                log("stopping: " + config.listen.host().toString() + " is no longer an address of this machine");
                break;
            }
        }
        gStopping = true;
        server.stop();
    }
    pool.joinAll();
    if (!config.stateFile.empty()) std::remove(config.stateFile.c_str());
    if (!config.pidFile.empty()) {
        std::ifstream in(config.pidFile);
        long pid = 0;
        if (in >> pid && pid == ::getpid()) std::remove(config.pidFile.c_str());
    }
    return 0;
}
