// Issue 12: a clean libvirtd stop on a lab host follows the shutdown policy (docs/engine.md,
// "Planned host shutdown and reboot"). The host goes down the way a real one does: the guests are
// shut down first (what libvirt-guests does; each QEMU's `release end` runs the qemu hook), then
// libvirtd stops cleanly (SIGTERM: its daemon hook runs). Both hooks are the real
// faxover-libvirt-hook, reporting to the real daemon's hook listener. The lab's hosts share this
// machine's systemd, so the hook is told the kind (`planned_kind`) instead of asking systemd.
#include "HookTestSupport.h"

#include <algorithm>
#include <iostream>
#include <thread>

namespace faxover::labtest {

using Catch::Matchers::Contains;
using lab::DaemonProcess;

namespace {

// How many QEMU processes run on all the lab's hosts together.
std::size_t qemuEverywhere(const LabSession& session) {
    std::size_t count = 0;
    for (const auto& host : session.lab.hosts()) count += session.lab.qemuPids(host.name).size();
    return count;
}

// A daemon protecting `domain` on the lab's first host, listening for its hooks, with `monitoring`
// (a top-level policy section) and the host enrolled with `plannedKind`.
struct PlannedStopCluster {
    PlannedStopCluster(const std::string& domain, const std::string& monitoring, const std::string& plannedKind)
        : guest(runGuest(session, host, lab::Guest::Diskless, domain)),
          daemon(session.lab, domain, DaemonProcess::kDefaultServiceLines, monitoring),
          libvirtdBack([this] { session.lab.startLibvirtd(host); }) {
        daemon.addArguments({"--hook-listen", listen});
        daemon.start();
        REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 10s));
        // Enrolled last, so removed first: libvirtd restarted at the end reports nothing.
        enrolled = std::make_unique<EnrolledHost>(session.lab, host, "http://" + listen, 2000,
                                                  "planned_kind = " + plannedKind + "\n");
    }

    // The host goes down on purpose: its guest shut down (the qemu hook reports it), then libvirtd
    // stopped cleanly (the daemon hook reports the host).
    void goDown(const std::string& domain) {
        REQUIRE(session.hypervisor->destroyDomain(host, domain));
        session.lab.stopLibvirtd(host);
    }

    // Nothing was fenced: no fence agent ran and no fence is pending or done.
    void requireNoFence() {
        const std::string log = daemon.currentLog();
        INFO(log);
        CHECK(log.find("fencing") == std::string::npos);
        CHECK(log.find(": fenced") == std::string::npos);
        CHECK(log.find("fence pending") == std::string::npos);
    }

    LabSession session;
    const std::string host = session.hostName(0);
    const std::string listen = "198.18.0.1:" + std::to_string(freePort("198.18.0.1"));
    std::unique_ptr<OnExit> guest;
    DaemonProcess daemon;
    OnExit libvirtdBack;
    std::unique_ptr<EnrolledHost> enrolled;
};

}  // namespace

// The daemon's view of `host`: its `planned` text ("" none, or when the API does not answer).
std::string plannedOf(DaemonProcess& daemon, const std::string& host) {
    auto status = daemon.api().status();
    if (!status) return "";
    for (const auto& each : status.value().hosts)
        if (each.name == host) return each.planned;
    return "";
}

TEST_CASE("planned shutdown: a clean libvirtd stop under shutdown_policy failover restarts the VM elsewhere, unfenced",
          "[lab][shutdown][daemon]") {
    const std::string domain = "labtest-shutdown-failover";
    PlannedStopCluster cluster(domain, "monitoring:\n  shutdown_policy: failover\n", "shutdown");
    const auto began = std::chrono::steady_clock::now();
    cluster.goDown(domain);

    const bool moved = eventually(
        [&] {
            const std::string where = cluster.daemon.serviceHost();
            return cluster.daemon.serviceState() == "ok" && !where.empty() && where != cluster.host;
        },
        30s);
    const auto took = std::chrono::steady_clock::now() - began;
    INFO(cluster.daemon.log());
    INFO("hook log on " << cluster.host << ":\n" << cluster.enrolled->log());
    REQUIRE(moved);
    std::cout << "planned shutdown (failover): the VM ran elsewhere "
              << std::chrono::duration<double>(took).count() << " s after its guest was shut down\n";
    // Past the point where a silent host fails (the lab policy's 7 rounds), nothing is fenced either.
    std::this_thread::sleep_for(6s);

    const std::string log = cluster.daemon.currentLog();
    CHECK_THAT(log, Contains("host " + cluster.host + ": announced a planned shutdown (failover)"));
    CHECK_THAT(log, Contains("its hook reported it ended; restart elsewhere without fence"));
    CHECK(plannedOf(cluster.daemon, cluster.host) == "planned shutdown (failover)");
    cluster.requireNoFence();
    CHECK(qemuEverywhere(cluster.session) == 1);
}

// A planned reboot is never fenced mid-boot. Only libvirtd stops here, so the announcement is the
// daemon hook's alone; the VM's QEMU keeps running unseen while libvirtd is down, and must be the
// same process when libvirtd is back: nothing fenced it, killed it or started a second copy.
TEST_CASE("planned reboot: a clean libvirtd stop under the default shutdown_policy is never fenced and the VM stays",
          "[lab][shutdown][daemon]") {
    const std::string domain = "labtest-shutdown-reboot";
    PlannedStopCluster cluster(domain, "monitoring:\n  shutdown_grace: 2m\n", "reboot");
    const std::vector<int> qemuBefore = cluster.session.lab.qemuPids(cluster.host);
    REQUIRE(qemuBefore.size() == 1);
    cluster.session.lab.stopLibvirtd(cluster.host);

    const bool announced = eventually([&] { return !plannedOf(cluster.daemon, cluster.host).empty(); }, 10s);
    INFO(cluster.daemon.log());
    INFO("hook log on " << cluster.host << ":\n" << cluster.enrolled->log());
    REQUIRE(announced);
    CHECK(plannedOf(cluster.daemon, cluster.host) == "planned reboot (freeze)");
    // Three times the lab policy's time to fail a silent host: no fence, no second copy.
    const auto downAt = std::chrono::steady_clock::now();
    std::size_t mostQemu = 0;
    while (std::chrono::steady_clock::now() - downAt < 10s) {
        mostQemu = std::max(mostQemu, qemuEverywhere(cluster.session));
        std::this_thread::sleep_for(250ms);
    }
    CHECK(mostQemu == 1);
    cluster.requireNoFence();

    cluster.session.lab.startLibvirtd(cluster.host);  // the daemon hook reports `back`
    const bool back = eventually(
        [&] {
            return plannedOf(cluster.daemon, cluster.host).empty() && cluster.daemon.serviceState() == "ok" &&
                   cluster.daemon.serviceHost() == cluster.host;
        },
        30s);
    CHECK(back);
    CHECK(cluster.session.lab.qemuPids(cluster.host) == qemuBefore);
    CHECK_THAT(cluster.daemon.currentLog(), Contains("host " + cluster.host + ": announced a planned reboot (freeze)"));
    CHECK_THAT(cluster.daemon.currentLog(), Contains("back after its planned reboot (freeze)"));
    cluster.requireNoFence();
}

}  // namespace faxover::labtest
