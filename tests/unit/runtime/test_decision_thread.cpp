// The runtime's threads (docs/daemon.md, "What runs"): one decision loop does the deciding and the
// committing; libvirt's event thread only queues; fences have an executor lane of their own.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/runtime/Runtime.h"
#include "faxover/policies/PolicyLoader.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
namespace hv = faxover::hv;
namespace store = faxover::orchestrator::store;
namespace runtime = faxover::orchestrator::runtime;
namespace ports = faxover::orchestrator::ports;
using Clock = std::chrono::steady_clock;

// A store that remembers nothing and may take its time over every commit (a slow disk).
class SlowStore final : public store::Store {
public:
    std::atomic<bool> slow{false};
    std::atomic<int> committing{0};  // commits under way
    std::atomic<int> slowCommitsBegun{0};

    store::Result<store::BatchResult> commit(const store::Batch& batch) override {
        ++committing;
        if (slow) {
            ++slowCommitsBegun;
            std::this_thread::sleep_for(2s);
        }
        store::BatchResult result;
        for (const auto& write : batch.writes) {
            if (const auto* row = std::get_if<store::AppendAudit>(&write)) {
                std::lock_guard lock(mutex_);
                audited_.push_back(row->record);
            }
            if (std::holds_alternative<store::AppendIntent>(write)) result.intentIds.push_back(++next_);
            if (std::holds_alternative<store::PutServiceState>(write)) result.revisions.push_back(++next_);
            if (std::holds_alternative<store::PutHostState>(write)) result.hostRevisions.push_back(++next_);
        }
        --committing;
        return result;
    }
    store::Result<store::IntentId> appendIntent(const store::Intent&) override { return ++next_; }
    store::Result<void> recordOutcome(store::IntentId, const store::Outcome&) override { return hv::ok(); }
    store::Result<std::vector<store::IntentEntry>> openIntents() override { return std::vector<store::IntentEntry>{}; }
    store::Result<std::vector<store::IntentEntry>> intentsAfter(store::IntentId, std::size_t) override {
        return std::vector<store::IntentEntry>{};
    }
    store::Result<std::vector<store::IntentEntry>> intentsSince(store::TimePoint, std::size_t) override {
        return std::vector<store::IntentEntry>{};
    }
    store::Result<store::Revision> putServiceState(const std::string&, const store::ServiceRecord&, store::Revision) override {
        return ++next_;
    }
    store::Result<std::map<std::string, store::ServiceRecord>> serviceStates() override {
        return std::map<std::string, store::ServiceRecord>{};
    }
    store::Result<store::Revision> putHostState(const std::string&, const store::HostRecord&, store::Revision) override {
        return ++next_;
    }
    store::Result<std::map<std::string, store::HostRecord>> hostStates() override {
        return std::map<std::string, store::HostRecord>{};
    }
    store::Result<std::vector<store::SeatRecord>> seats() override { return std::vector<store::SeatRecord>{}; }
    store::Result<std::vector<store::LicenceAuditRecord>> licenceAudit(store::TimePoint, std::size_t) override {
        return std::vector<store::LicenceAuditRecord>{};
    }
    store::Result<std::vector<store::BoardReservationRecord>> boardReservations() override {
        return std::vector<store::BoardReservationRecord>{};
    }
    store::Result<void> appendAudit(const store::AuditRecord&) override { return hv::ok(); }
    store::Result<std::vector<store::AuditRecord>> audit(store::TimePoint, std::size_t) override {
        return std::vector<store::AuditRecord>{};
    }

    // The audit rows of `action` committed so far, as "reason (details)".
    std::vector<std::string> auditRows(const std::string& action) const {
        std::lock_guard lock(mutex_);
        std::vector<std::string> rows;
        for (const auto& row : audited_)
            if (row.action == action) rows.push_back(row.reason + " (" + row.details + ")");
        return rows;
    }

private:
    std::atomic<std::int64_t> next_{0};
    mutable std::mutex mutex_;
    std::vector<store::AuditRecord> audited_;
};

// A fence agent that says when it was called, and reports the host off.
class RecordingFenceAgent final : public ports::FenceAgent {
public:
    std::promise<std::string> called;
    std::atomic<bool> calledOnce{false};
    hv::Result<ports::FenceConfirmation> powerOff(const faxover::policy::HostPolicy& host,
                                                  const faxover::policy::FenceLevel&) override {
        if (!calledOnce.exchange(true)) called.set_value(host.name);
        return ports::FenceConfirmation{"status OFF"};
    }
};

class NoLicenceSteps final : public ports::LicenceSteps {
public:
    hv::Result<std::string> run(const ports::LicenceStepRequest&) override { return std::string("done"); }
};

class NoTelcoHooks final : public ports::TelcoHooks {
public:
    hv::Result<std::string> run(const ports::BoardMove&) override { return std::string("done"); }
};

class LinesLog final : public ports::EventSink {
public:
    void deliver(const faxover::orchestrator::engine::Event& event) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(event.text());
    }
    bool has(const std::string& text) const {
        std::lock_guard lock(mutex_);
        for (const auto& line : lines_)
            if (line.find(text) != std::string::npos) return true;
        return false;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// The witness lets one silent host of two count as failed (docs/engine.md, "Own connectivity"),
// when a round says it answered.
constexpr const char* kPolicy = R"(version: 1
fencing:
  witness: { address: 10.0.9.1 }
hosts:
  - name: h1
    uri: qemu+tcp://10.0.0.1/system
    migration_address: 10.0.0.1
    fence:
      method: agent
      command: fence_sim
  - name: h2
    uri: qemu+tcp://10.0.0.2/system
    migration_address: 10.0.0.2
    fence:
      method: agent
      command: fence_sim
services:
  - name: fax-a
    domain: fax-a
    telephony: sr140
)";

std::shared_ptr<const faxover::policy::Policy> testPolicy() {
    auto loaded = faxover::policy::loadPolicyText(kPolicy, "policy.yaml");
    REQUIRE(loaded);
    return std::make_shared<const faxover::policy::Policy>(std::move(*loaded.policy));
}

// Everything a threaded Runtime needs; the executors outlive it (declared first).
struct Daemon {
    explicit Daemon(std::size_t actionThreads = 4)
        : executor(actionThreads),
          runtime({hypervisor, store, fenceAgent, executor, fences, log, clock, wall, licenceSteps, telcoHooks}, testPolicy(),
                  "policy.yaml") {}
    hv::ManualClock simClock;
    hv::sim::SimulatedHypervisor hypervisor{simClock};
    SlowStore store;
    RecordingFenceAgent fenceAgent;
    runtime::ThreadPoolExecutor executor;
    runtime::ThreadPoolExecutor fences{1};
    LinesLog log;
    hv::SteadyClock clock;
    runtime::SystemWallClock wall;
    NoLicenceSteps licenceSteps;
    NoTelcoHooks telcoHooks;
    runtime::Runtime runtime;
};

runtime::HostRound answering(const std::string& host, std::vector<hv::DomainInfo> domains) {
    runtime::HostRound round{host, {hv::Reachability::Reachable, true}, std::move(domains), std::nullopt, std::nullopt};
    round.inventory = hv::NodeInventory{host, 8, 64ull << 20, 32ull << 20, {}};
    return round;
}

runtime::HostRound silent(const std::string& host) { return {host, {hv::Reachability::Unreachable, false}}; }

hv::DomainInfo running(const std::string& name) {
    hv::DomainInfo domain;
    domain.name = name;
    domain.uuid = "6d2f0d0a-0b3c-4a8e-9a7e-000000000001";
    domain.state = hv::DomainState::Running;
    domain.memoryKiB = 1 << 20;
    domain.vcpus = 1;
    return domain;
}

faxover::orchestrator::engine::AdminCommand stopFaxA() {
    faxover::orchestrator::engine::AdminCommand command;
    command.verb = faxover::orchestrator::engine::Verb::Stop;
    command.service = "fax-a";
    command.actor = "admin:test";
    return command;
}

// The command's answer while the loop is held: a refusal, within a second.
faxover::orchestrator::Result<faxover::orchestrator::api::CommandReply> refusedAtOnce(
    Daemon& daemon, const faxover::orchestrator::engine::AdminCommand& command) {
    const auto asked = Clock::now();
    auto reply = daemon.runtime.execute(command);
    CHECK(Clock::now() - asked < 1s);
    REQUIRE_FALSE(reply);
    return reply;
}

}  // namespace

TEST_CASE("decision thread: while a commit takes 2 s, libvirt's event thread delivers every event at once",
          "[runtime][decision-thread]") {
    Daemon daemon;
    REQUIRE(daemon.runtime.resume());
    daemon.store.slow = true;
    daemon.runtime.replacePolicy(testPolicy());  // its audit row is a slow commit
    const auto waitedFrom = Clock::now();
    while (daemon.store.slowCommitsBegun == 0 && Clock::now() - waitedFrom < 5s) std::this_thread::sleep_for(1ms);
    REQUIRE(daemon.store.committing == 1);

    // libvirt's event thread: a keepalive every 5 ms, and an event to deliver with each.
    constexpr int kEvents = 100;
    hv::Duration slowestDelivery{0};
    hv::Duration longestKeepaliveGap{0};
    bool commitStillRunning = false;
    std::thread eventThread([&] {
        auto lastKeepalive = Clock::now();
        for (int i = 0; i < kEvents; ++i) {
            const auto before = Clock::now();
            longestKeepaliveGap = std::max(longestKeepaliveGap, std::chrono::duration_cast<hv::Duration>(before - lastKeepalive));
            lastKeepalive = before;
            daemon.runtime.onHypervisorEvent(hv::HostEvent{"h1", {hv::Reachability::Reachable, {}, "keepalive answered"}});
            slowestDelivery = std::max(slowestDelivery, std::chrono::duration_cast<hv::Duration>(Clock::now() - before));
            std::this_thread::sleep_for(5ms);
        }
        commitStillRunning = daemon.store.committing == 1;
    });
    eventThread.join();
    INFO("slowest delivery " << slowestDelivery.count() << " ms, longest keepalive gap " << longestKeepaliveGap.count()
                             << " ms");
    // All of them went in while the commit ran, each in milliseconds: a thread that waited for the
    // commit would show a delivery and a keepalive gap of up to 2 s. (Margins for a loaded machine.)
    CHECK(commitStillRunning);
    CHECK(slowestDelivery < 100ms);
    CHECK(longestKeepaliveGap < 250ms);

    // An API handler's question waits for the commit, then gets its answer (well within its bound).
    daemon.store.slow = false;
    const auto asked = Clock::now();
    auto status = daemon.runtime.status();
    REQUIRE(status);
    CHECK(Clock::now() - asked < 3s);
    CHECK(status.value().hosts.size() == 2);
    daemon.runtime.stop();
    CHECK(daemon.store.committing == 0);
}

TEST_CASE("decision thread: a fence runs while every migration worker is busy", "[runtime][decision-thread]") {
    Daemon daemon(2);
    REQUIRE(daemon.runtime.resume());
    // Both action workers hold a long migration.
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::atomic<int> busy{0};
    for (int i = 0; i < 2; ++i)
        daemon.executor.submit([&busy, released] {
            ++busy;
            released.wait();
        });
    while (busy < 2) std::this_thread::sleep_for(1ms);

    auto fenced = daemon.fenceAgent.called.get_future();
    daemon.runtime.observeRound({{answering("h1", {running("fax-a")}), answering("h2", {})}});
    bool fenceStarted = false;
    for (int round = 0; round < 30 && !fenceStarted; ++round) {
        daemon.runtime.observeRound({{silent("h1"), answering("h2", {})}, true});  // the witness answers
        daemon.runtime.drain();
        fenceStarted = fenced.wait_for(100ms) == std::future_status::ready;
    }
    CHECK(busy == 2);  // the migrations are still running
    REQUIRE(fenceStarted);
    CHECK(fenced.get() == "h1");
    // The agent's answer reaches the loop from the fence lane, after the agent returned.
    const auto waitedFrom = Clock::now();
    while (!daemon.log.has("fenced: status OFF") && Clock::now() - waitedFrom < 5s) {
        daemon.runtime.drain();
        std::this_thread::sleep_for(1ms);
    }
    CHECK(daemon.log.has("fenced: status OFF"));
    release.set_value();
}

TEST_CASE("decision thread: a command the loop cannot take within the bound is refused, never run, audited",
          "[runtime][decision-thread]") {
    Daemon daemon;
    REQUIRE(daemon.runtime.resume());
    daemon.runtime.setAnswerBound(300ms);
    daemon.store.slow = true;
    daemon.runtime.replacePolicy(testPolicy());  // a 2 s commit holds the loop
    while (daemon.store.slowCommitsBegun == 0) std::this_thread::sleep_for(1ms);

    const auto command = stopFaxA();
    auto reply = refusedAtOnce(daemon, command);
    CHECK(reply.error().kind == faxover::orchestrator::ErrorKind::Busy);
    CHECK(reply.error().message ==
          "the daemon's decision thread was busy for 300 ms (a slow store?) and did not take this request, so "
          "nothing was done; try again");

    daemon.store.slow = false;
    daemon.runtime.drain();
    // Its one audit row says it was refused; had it run, the engine's verdict would have its own row.
    CHECK(daemon.store.auditRows("stop") ==
          std::vector<std::string>{"the daemon's decision thread was busy for 300 ms and did not take it, so nothing "
                                   "was done (refused)"});
    // Once the loop is free, the same command is taken and answered.
    daemon.runtime.setAnswerBound(faxover::orchestrator::runtime::Runtime::kAnswerBound);
    (void)daemon.runtime.execute(command);
    CHECK(daemon.store.auditRows("stop").size() == 2);
}

TEST_CASE("decision thread: a full decision queue drops readings, counts them, and refuses commands at once",
          "[runtime][decision-thread]") {
    Daemon daemon;
    REQUIRE(daemon.runtime.resume());
    daemon.store.slow = true;
    daemon.runtime.replacePolicy(testPolicy());  // a 2 s commit holds the loop
    while (daemon.store.slowCommitsBegun == 0) std::this_thread::sleep_for(1ms);
    const std::size_t capacity = faxover::orchestrator::runtime::DecisionLoop::kDefaultCapacity;
    for (std::size_t i = 0; i < capacity + 5; ++i)
        daemon.runtime.observeRound({{answering("h1", {running("fax-a")}), answering("h2", {})}});

    const auto command = stopFaxA();
    auto reply = refusedAtOnce(daemon, command);
    CHECK(reply.error().message == "the decision queue is full (1000 waiting: the daemon is not keeping up, a slow "
                                   "store?), so nothing was done; try again");

    daemon.store.slow = false;
    daemon.runtime.drain();
    // Room again: the next reading says how many were lost before it.
    daemon.runtime.observeRound({{answering("h1", {running("fax-a")}), answering("h2", {})}});
    daemon.runtime.drain();
    CHECK(daemon.log.has("daemon: 5 monitor readings dropped: the decision queue was full (1000 waiting)"));
    CHECK(daemon.runtime.execute(command));
}

TEST_CASE("decision thread: after stop nothing is taken and questions are answered at once", "[runtime][decision-thread]") {
    Daemon daemon;
    REQUIRE(daemon.runtime.resume());
    daemon.runtime.stop();
    daemon.runtime.observeRound({{answering("h1", {running("fax-a")}), answering("h2", {})}});
    daemon.runtime.tick();
    daemon.runtime.replacePolicy(testPolicy());
    daemon.runtime.drain();
    CHECK_FALSE(daemon.log.has("reloaded"));
    const auto asked = Clock::now();
    auto status = daemon.runtime.status();
    CHECK(Clock::now() - asked < 1s);
    REQUIRE_FALSE(status);
    CHECK(status.error().message == "the daemon is stopping");
    daemon.runtime.stop();  // twice is fine
}
