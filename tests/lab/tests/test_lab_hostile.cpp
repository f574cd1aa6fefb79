// The hostile-client suite against the real daemon (docs/daemon.md "What a client may hold",
// docs/testing.md): while slow clients, a flood of may-start queries for made-up hosts and malformed
// requests hit its hook listener, and a second daemon tries its store, the daemon fails a powered-off
// host's VM over through the hooks of the other hosts. Loopback only (the lab's bridge), bounded in
// time (about 30 s of attack) and count.
#include "HookTestSupport.h"
#include "HostileClients.h"

#include <boost/process/search_path.hpp>

#include <algorithm>
#include <atomic>
#include <map>

namespace faxover::labtest {

using Catch::Matchers::Contains;
using hostile::rawExchange;
using hostile::statusOf;
using hostile::TricklingClient;

namespace {

constexpr const char* kBridge = "faxlab-br0";

// An extra address of this machine on the lab's bridge, so that an attacker counts as another client
// (the listeners' limits are per address). Removed when the object goes; `faxover-lab down` removes
// it with the bridge if a killed test could not.
class BridgeAddress {
public:
    explicit BridgeAddress(std::string address) : address_(std::move(address)) {
        ip("del");  // left by a killed run
        const auto added = ip("add");
        INFO(added.err);
        REQUIRE(added.exitCode == 0);
    }
    ~BridgeAddress() { (void)ip("del"); }
    BridgeAddress(const BridgeAddress&) = delete;
    BridgeAddress& operator=(const BridgeAddress&) = delete;
    const std::string& address() const { return address_; }

private:
    lab::CommandOutput ip(const std::string& verb) const {
        return lab::runProgram(boost::process::search_path("ip").string(),
                               {"addr", verb, address_ + "/32", "dev", kBridge});
    }
    std::string address_;
};

// What the attackers saw, read once they have stopped.
struct AttackReport {
    // Slow clients (from the listener's own address, as the first attacker).
    int slowOpened = 0;
    int slowRefused429 = 0;
    int slowCutOff = 0;     // held, then closed by the daemon without an answer (the deadline)
    int slowHeldMost = 0;   // connections the attacker held at once, at most
    std::chrono::steady_clock::duration slowLongestHeld{};
    // Flood of may-start queries for made-up hosts (from a second address).
    int floodSent = 0;
    std::map<int, int> floodStatuses;  // HTTP status -> count (0: no answer)
    int floodAllowed = 0;              // answers that allowed a made-up host: must stay 0
    // Malformed and oversized requests (from a third address).
    int malformedSent = 0;
    std::vector<std::string> malformedWrong;  // requests not answered 4xx within 3 s, with what came
};

// Three attackers on their own threads until stop().
class Attack {
public:
    Attack(Poco::Net::SocketAddress hook, std::string domain, std::string floodFrom, std::string malformedFrom)
        : hook_(std::move(hook)), domain_(std::move(domain)), floodFrom_(std::move(floodFrom)),
          malformedFrom_(std::move(malformedFrom)) {
        threads_.emplace_back([this] { slowClients(); });
        for (int i = 0; i < 4; ++i) threads_.emplace_back([this, i] { flood(i); });
        threads_.emplace_back([this] { malformed(); });
    }
    ~Attack() { stop(); }
    Attack(const Attack&) = delete;
    Attack& operator=(const Attack&) = delete;

    AttackReport stop() {
        stopping_ = true;
        for (auto& thread : threads_)
            if (thread.joinable()) thread.join();
        std::lock_guard lock(mutex_);
        return report_;
    }

private:
    // 200 connections that trickle a header byte a second; every one that ends is replaced, so the
    // attacker tries to hold as many as it can for as long as the attack lasts.
    void slowClients() {
        std::vector<std::unique_ptr<TricklingClient>> clients;
        while (!stopping_) {
            AttackReport round;
            while (clients.size() < 200) {
                try {
                    clients.push_back(std::make_unique<TricklingClient>(hook_, "", "/v1/hook/may-start?host=lab0&name=" + domain_));
                    ++round.slowOpened;
                } catch (const Poco::Exception&) {
                    break;  // the listener's queue is full: try again next round
                }
            }
            for (auto& client : clients) {
                if (client->trickle()) {
                    ++round.slowHeldMost;
                } else if (statusOf(client->answer()) == 429) {
                    ++round.slowRefused429;
                    client.reset();
                } else {
                    ++round.slowCutOff;
                    round.slowLongestHeld = std::max(round.slowLongestHeld, client->age());
                    client.reset();
                }
            }
            std::erase(clients, nullptr);
            {
                std::lock_guard lock(mutex_);
                report_.slowOpened += round.slowOpened;
                report_.slowRefused429 += round.slowRefused429;
                report_.slowCutOff += round.slowCutOff;
                report_.slowHeldMost = std::max(report_.slowHeldMost, round.slowHeldMost);
                report_.slowLongestHeld = std::max(report_.slowLongestHeld, round.slowLongestHeld);
            }
            std::this_thread::sleep_for(1s);
        }
    }

    void flood(int thread) {
        for (int n = 0; !stopping_; ++n) {
            const std::string madeUp = "made-up-" + std::to_string(thread) + "-" + std::to_string(n);
            const std::string answer =
                rawExchange(hook_, floodFrom_,
                            "GET /v1/hook/may-start?host=" + madeUp + "&name=" + domain_ +
                                " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            std::lock_guard lock(mutex_);
            ++report_.floodSent;
            ++report_.floodStatuses[statusOf(answer)];
            if (answer.find("\"allowed\":true") != std::string::npos) ++report_.floodAllowed;
        }
    }

    void malformed() {
        const std::vector<std::string> requests{
            // A length no server can take, and a POST without any.
            "POST /v1/hook/may-start HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551616\r\n\r\n",
            "POST /v1/commands HTTP/1.1\r\nHost: x\r\n\r\n{\"verb\":",
            // The admin API's paths are not served here.
            "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n",
            // A query without its parameters, and one that does not decode.
            "GET /v1/hook/may-start HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /v1/hook/may-start?host=%ZZ&name=%G0 HTTP/1.1\r\nHost: x\r\n\r\n",
            // 64 KiB of URI, and 500 header fields.
            "GET /v1/hook/may-start?host=" + std::string(64 * 1024, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
            [] {
                std::string many = "GET /v1/hook/may-start?host=lab1&name=x HTTP/1.1\r\nHost: x\r\n";
                for (int i = 0; i < 500; ++i) many += "X-Field-" + std::to_string(i) + ": y\r\n";
                return many + "\r\n";
            }(),
            // Not HTTP at all: the start of a TLS ClientHello.
            std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(64, '\x7f') + "\r\n\r\n",
        };
        for (std::size_t n = 0; !stopping_; ++n) {
            const std::string& request = requests[n % requests.size()];
            const auto before = std::chrono::steady_clock::now();
            const std::string answer = rawExchange(hook_, malformedFrom_, request, 3000ms);
            const auto took = std::chrono::steady_clock::now() - before;
            const int status = statusOf(answer);
            std::lock_guard lock(mutex_);
            ++report_.malformedSent;
            if (status < 400 || status > 499 || took > 3s)
                report_.malformedWrong.push_back("request " + std::to_string(n % requests.size()) + " -> '" +
                                                 answer.substr(0, 80) + "'");
        }
    }

    Poco::Net::SocketAddress hook_;
    std::string domain_, floodFrom_, malformedFrom_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    AttackReport report_;
    std::vector<std::thread> threads_;
};

int refusalRows(lab::DaemonProcess& daemon) {
    auto audit = daemon.api().licenceAudit(std::nullopt);
    REQUIRE(audit);
    return static_cast<int>(std::count_if(audit.value().begin(), audit.value().end(),
                                          [](const auto& entry) { return entry.event == "refuse"; }));
}

double secondsOf(std::chrono::steady_clock::duration duration) {
    return std::chrono::duration<double>(duration).count();
}

}  // namespace

TEST_CASE("hostile: a failover through the hooks completes while clients attack the daemon", "[lab][hook][daemon][hostile]") {
    const std::string domain = "labtest-hostile";
    EnrolledCluster cluster(domain);
    BridgeAddress flooder("198.18.0.240"), prober("198.18.0.241");
    const int rowsBefore = refusalRows(cluster.daemon);

    // A second daemon on the same store is refused at once, naming the holder; the first goes on.
    const auto second = cluster.daemon.runSecondOnSameStore(10s);
    INFO("second daemon: exit " << second.exitCode << "\n" << second.out << second.err);
    CHECK(second.exitCode > 0);
    CHECK_THAT(second.err, Contains("is in use by faxover daemon pid " + std::to_string(cluster.daemon.pid())));

    const auto attackStarted = std::chrono::steady_clock::now();
    Attack attack(Poco::Net::SocketAddress(cluster.listen), domain, flooder.address(), prober.address());
    std::this_thread::sleep_for(2s);  // the slow clients hold what they can get before the host goes

    cluster.session.lab.powerOff(cluster.host);
    const auto failover = cluster.requireMovedThroughHook(domain);
    // Long enough for the first slow connections to meet their deadline (10 s).
    while (std::chrono::steady_clock::now() - attackStarted < 14s) std::this_thread::sleep_for(200ms);
    AttackReport report = attack.stop();
    const auto attacked = std::chrono::steady_clock::now() - attackStarted;

    std::cout << "hostile: failover through the hooks under attack took " << secondsOf(failover) << " s; attack "
              << secondsOf(attacked) << " s: slow clients opened " << report.slowOpened << ", refused 429 "
              << report.slowRefused429 << ", held at most " << report.slowHeldMost << " at once, cut off "
              << report.slowCutOff << " (longest held " << secondsOf(report.slowLongestHeld) << " s); flood "
              << report.floodSent << " queries; malformed " << report.malformedSent << " requests\n";
    for (const auto& [status, count] : report.floodStatuses) std::cout << "  flood answers " << status << ": " << count << "\n";

    // The bound docs/testing.md states: the usual failover (5 s, docs/performance.md) plus 15 s.
    // Measured: 8.3 to 9.8 s, against 5.2 to 5.4 s without the attack.
    CHECK(failover < 20s);
    // The slow attacker got at most its 8 connections, each cut off by the deadline.
    CHECK(report.slowHeldMost <= 8);
    CHECK(report.slowHeldMost >= 1);
    CHECK(report.slowRefused429 > 0);
    CHECK(report.slowCutOff >= 1);
    // 10 s deadline, plus the attacker's round (a second's sleep, then 200 sockets looked at) to notice.
    CHECK(report.slowLongestHeld < 15s);
    // The flood was answered (refused), never allowed, and it grew the audit by no more than the
    // documented budget: 12 rows at once, then one per 5 s.
    CHECK(report.floodSent > 100);
    CHECK(report.floodAllowed == 0);
    CHECK(report.floodStatuses[200] > 100);
    const int rowsAdded = refusalRows(cluster.daemon) - rowsBefore;
    std::cout << "  licence audit rows the refusals added: " << rowsAdded << "\n";
    CHECK(rowsAdded >= 1);
    CHECK(rowsAdded <= 12 + static_cast<int>(secondsOf(attacked) / 5) + 1);
    // Every malformed request got a 4xx within 3 s.
    CHECK(report.malformedSent >= 8);
    for (const auto& wrong : report.malformedWrong) UNSCOPED_INFO(wrong);
    CHECK(report.malformedWrong.empty());
    // The daemon is the same process, and answers.
    CHECK(cluster.daemon.serviceState() == "ok");
    CHECK_THAT(cluster.daemon.log(), !Contains("terminate called") && !Contains("Sanitizer"));
}

}  // namespace faxover::labtest
