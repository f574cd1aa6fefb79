// The daemon end to end over three lab hosts (issue #3): power-off, network cut, libvirtd crash,
// maintenance, and kill -9 of the daemon in the middle of a recovery. The truth about where the
// VM runs is taken from the hosts' QEMU processes, not from libvirt or the daemon.
#include "DaemonProcess.h"
#include "LabTestSupport.h"

#include <atomic>

namespace faxover::labtest {

using lab::DaemonProcess;

namespace {

// Hosts whose namespaces run a QEMU process now.
std::vector<std::string> hostsRunningQemu(const lab::Lab& lab) {
    std::vector<std::string> hosts;
    for (const auto& host : lab.hosts())
        if (!lab.qemuPids(host.name).empty()) hosts.push_back(host.name);
    return hosts;
}

// Samples hostsRunningQemu every 100 ms on its own thread; remembers the most copies seen at once.
class CopySampler {
public:
    explicit CopySampler(const lab::Lab& lab)
        : thread_([this, &lab] {
              while (!stop_) {
                  const auto running = hostsRunningQemu(lab);
                  most_ = std::max(most_.load(), running.size());
                  ++samples_;
                  std::this_thread::sleep_for(100ms);
              }
          }) {}
    ~CopySampler() {
        stop_ = true;
        thread_.join();
    }
    std::size_t most() const { return most_; }
    int samples() const { return samples_; }

private:
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> most_{0};
    std::atomic<int> samples_{0};
    std::thread thread_;
};

// Brings `host` back as the next test expects it (powered on, linked, libvirtd up) and waits until
// this session sees it, so the guest guard can remove the stale definition there.
OnExit restoreHost(LabSession& session, const std::string& host) {
    return OnExit([&session, host] {
        session.lab.healNetwork(host);
        session.lab.powerOn(host);
        session.lab.startLibvirtd(host);
        (void)eventually([&] { return isReachable(*session.hypervisor, host); }, 15s);
    });
}

bool runsElsewhere(DaemonProcess& daemon, const std::string& host) {
    return daemon.serviceState() == "ok" && !daemon.serviceHost().empty() && daemon.serviceHost() != host;
}

// A lab guest on lab1 protected by a running daemon, and the guards that undo each test's faults:
// members are destroyed in reverse order, so the daemon stops before lab1 is restored and the
// guest removed.
struct ProtectedGuest {
    explicit ProtectedGuest(const std::string& domain)
        : guest(runGuest(session, host, lab::Guest::Diskless, domain)), restore(restoreHost(session, host)),
          daemon(session.lab, domain) {
        daemon.start();
        REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 10s));
    }
    LabSession session;
    const std::string host = session.hostName(0);
    std::unique_ptr<OnExit> guest;
    OnExit restore;
    DaemonProcess daemon;
};

}  // namespace

TEST_CASE("daemon: a powered-off host is fenced and its VM runs on another host", "[lab][daemon]") {
    ProtectedGuest protectedGuest("labtest-daemon-off");
    auto& session = protectedGuest.session;
    const std::string& host = protectedGuest.host;
    auto& daemon = protectedGuest.daemon;

    session.lab.powerOff(host);
    const Duration took = timeUntil([&] { return runsElsewhere(daemon, host); }, 30s);
    INFO(daemon.log());
    REQUIRE(took != Duration::max());
    WARN("power-off of " << host << " to the VM running elsewhere: " << took.count() << " ms");
    CHECK(daemon.logContains("host " + host + ": fenced"));
    CHECK(hostsRunningQemu(session.lab) == std::vector<std::string>{daemon.serviceHost()});
}

TEST_CASE("daemon: a cut host is fenced before its VM restarts and two copies never run", "[lab][daemon]") {
    ProtectedGuest protectedGuest("labtest-daemon-cut");
    auto& session = protectedGuest.session;
    const std::string& host = protectedGuest.host;
    auto& daemon = protectedGuest.daemon;

    std::size_t most = 0;
    int samples = 0;
    {
        CopySampler sampler(session.lab);
        session.lab.cutNetwork(host);
        const bool recovered = eventually([&] { return runsElsewhere(daemon, host); }, 30s);
        INFO(daemon.log());
        REQUIRE(recovered);
        std::this_thread::sleep_for(500ms);
        most = sampler.most();
        samples = sampler.samples();
    }
    INFO(daemon.log());
    WARN("copies sampled " << samples << " times; most at once: " << most);
    CHECK(samples > 10);
    CHECK(most == 1);
    // The VM was still running on the cut host: only fencing (fence_faxlab off) can have ended it.
    CHECK(daemon.logContains("host " + host + ": fenced"));
    CHECK(session.lab.qemuPids(host).empty());
}

TEST_CASE("daemon: a libvirtd crash alone never restarts the VM elsewhere", "[lab][daemon]") {
    ProtectedGuest protectedGuest("labtest-daemon-libvirtd");
    auto& session = protectedGuest.session;
    const std::string& host = protectedGuest.host;
    auto& daemon = protectedGuest.daemon;
    const auto qemuBefore = session.lab.qemuPids(host);

    session.lab.crashLibvirtd(host);
    // Twice the time a power-off takes to be failed over: the TCP probe keeps answering.
    std::this_thread::sleep_for(12s);
    INFO(daemon.log());
    CHECK(daemon.serviceHost() == host);
    CHECK(daemon.serviceState() == "suspect");
    CHECK(session.lab.qemuPids(host) == qemuBefore);
    CHECK(hostsRunningQemu(session.lab) == std::vector<std::string>{host});
    CHECK_FALSE(daemon.logContains("fencing"));

    session.lab.startLibvirtd(host);
    CHECK(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 15s));
}

TEST_CASE("daemon: maintenance enable live-migrates the VM off the host", "[lab][daemon]") {
    ProtectedGuest protectedGuest("labtest-daemon-maint");
    auto& session = protectedGuest.session;
    const std::string& host = protectedGuest.host;
    auto& daemon = protectedGuest.daemon;

    auto reply = daemon.api().execute({orchestrator::engine::Verb::MaintenanceEnable, "", host, ""});
    INFO((reply ? reply.value().message : reply.error().message));
    REQUIRE(reply);
    const Duration took = timeUntil([&] { return runsElsewhere(daemon, host); }, 30s);
    INFO(daemon.log());
    REQUIRE(took != Duration::max());
    WARN("maintenance enable to the VM running elsewhere: " << took.count() << " ms");
    CHECK(daemon.logContains("live migration " + host + " -> "));
    CHECK(session.lab.qemuPids(host).empty());
    CHECK(hostsRunningQemu(session.lab) == std::vector<std::string>{daemon.serviceHost()});
    CHECK(daemon.api().execute({orchestrator::engine::Verb::MaintenanceDisable, "", host, ""}));
}

// Issue 12, found in a lab Faxover did not build: the destination of a live migration was first read
// while the incoming domain was paused, and "cannot live-migrate: domain is paused" stuck until the
// daemon restarted, so draining that host next was a cold move.
TEST_CASE("daemon: a VM live-migrated onto a host it had not read before live-migrates off it again", "[lab][daemon]") {
    ProtectedGuest protectedGuest("labtest-daemon-remigrate");
    const std::string& first = protectedGuest.host;
    auto& daemon = protectedGuest.daemon;
    using orchestrator::engine::Verb;

    REQUIRE(daemon.api().execute({Verb::MaintenanceEnable, "", first, ""}));
    if (!eventually([&] { return runsElsewhere(daemon, first); }, 30s))
        FAIL("not moved off " << first << "; the daemon's log now:\n" << daemon.log());
    const std::string second = daemon.serviceHost();
    REQUIRE(daemon.logContains("live migration " + first + " -> " + second));
    REQUIRE(daemon.api().execute({Verb::MaintenanceDisable, "", first, ""}));

    auto drained = daemon.api().execute({Verb::MaintenanceEnable, "", second, ""});
    INFO((drained ? drained.value().message : drained.error().message));
    REQUIRE(drained);
    const OnExit endMaintenance([&] { (void)daemon.api().execute({Verb::MaintenanceDisable, "", second, ""}); });
    const bool moved = eventually([&] { return runsElsewhere(daemon, second); }, 30s);
    if (!moved) FAIL("not moved off " << second << "; the daemon's log now:\n" << daemon.log());
    CHECK(daemon.logContains("live migration " + second + " -> "));
    CHECK_FALSE(daemon.logContains("cold move"));
    CHECK_FALSE(daemon.logContains("domain is paused"));
    CHECK(hostsRunningQemu(protectedGuest.session.lab) == std::vector<std::string>{daemon.serviceHost()});
}

TEST_CASE("daemon: killed with -9 during a recovery and restarted it completes with one copy", "[lab][daemon]") {
    ProtectedGuest protectedGuest("labtest-daemon-kill");
    auto& session = protectedGuest.session;
    const std::string& host = protectedGuest.host;
    auto& daemon = protectedGuest.daemon;

    session.lab.powerOff(host);
    // Kill it as soon as it has decided to fence: the fence or the start is under way.
    REQUIRE(eventually([&] { return daemon.logContains("host " + host + ": fencing"); }, 20s));
    daemon.kill9();
    daemon.start();
    const bool recovered = eventually([&] { return runsElsewhere(daemon, host); }, 40s);
    INFO(daemon.log());
    REQUIRE(recovered);
    CHECK(daemon.logContains("resumed from the store"));
    std::this_thread::sleep_for(2s);
    CHECK(hostsRunningQemu(session.lab) == std::vector<std::string>{daemon.serviceHost()});
}

}  // namespace faxover::labtest
