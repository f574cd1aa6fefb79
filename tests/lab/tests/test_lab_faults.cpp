// Host faults as the layer must report them: power loss, libvirtd crash, network cut.
#include "LabTestSupport.h"

#include <csignal>

using namespace faxover;
using namespace faxover::labtest;

namespace {

bool processAlive(int pid) { return ::kill(pid, 0) == 0; }

bool anyStopEventFor(const EventRecorder& events, const std::string& name) {
    for (const auto& event : events.snapshot()) {
        const auto* domain = std::get_if<hv::DomainEvent>(&event);
        if (domain != nullptr && domain->domainName == name &&
            (domain->lifecycle == hv::DomainLifecycle::Stopped || domain->lifecycle == hv::DomainLifecycle::Crashed)) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("a powered-off host is reported unreachable within the keepalive bound", "[lab][faults]") {
    LabSession session;
    const std::string host = session.hostName(2);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-poweroff");
    OnExit powerBackOn([&] { session.lab.powerOn(host); });

    session.lab.powerOff(host);
    const auto detection = timeUntil([&] { return !isReachable(*session.hypervisor, host); }, Duration(15000));
    INFO("detected after " << detection.count() << " ms");
    // Power loss sends no FIN or RST: only the keepalive can notice. Allow one interval of slack.
    CHECK(detection <= kKeepAliveBound + Duration(1500));

    auto status = session.hypervisor->hostStatus(host);
    REQUIRE(status);
    CHECK(status.value().reachability == hv::Reachability::Unreachable);
    CHECK_FALSE(status.value().reason.empty());
    // Calls to the host fail as "unreachable", never as "no such domain".
    auto info = session.hypervisor->domainInfo(host, "labtest-poweroff");
    REQUIRE_FALSE(info);
    CHECK(info.error().kind == hv::ErrorKind::HostUnreachable);
    auto copies = session.hypervisor->findDomainCopies("labtest-poweroff");
    CHECK(copies.unreachableHosts == std::vector<std::string>{host});

    // After power comes back the layer reconnects by itself; the persistent domain is shut off.
    session.lab.powerOn(host);
    REQUIRE(eventually([&] { return isReachable(*session.hypervisor, host); }, Duration(15000)));
    auto afterBoot = session.hypervisor->domainInfo(host, "labtest-poweroff");
    REQUIRE(afterBoot);
    CHECK(afterBoot.value().state == hv::DomainState::Shutoff);
}

TEST_CASE("a libvirtd crash reads as host unreachable while its VM keeps running", "[lab][faults]") {
    LabSession session;
    const std::string host = session.hostName(1);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-libvirtd");
    const auto qemuPids = session.lab.qemuPids(host);
    REQUIRE(qemuPids.size() == 1);
    OnExit restartLibvirtd([&] {
        if (!isReachable(*session.hypervisor, host)) session.lab.startLibvirtd(host);
    });

    session.lab.crashLibvirtd(host);
    // The dead daemon's socket closes at once: no keepalive wait.
    const auto detection = timeUntil([&] { return !isReachable(*session.hypervisor, host); }, Duration(10000));
    INFO("detected after " << detection.count() << " ms");
    CHECK(detection <= kKeepAliveBound);

    CHECK(processAlive(qemuPids.front()));
    auto info = session.hypervisor->domainInfo(host, "labtest-libvirtd");
    REQUIRE_FALSE(info);
    CHECK(info.error().kind == hv::ErrorKind::HostUnreachable);
    CHECK_FALSE(anyStopEventFor(*session.events, "labtest-libvirtd"));

    // A restarted libvirtd re-attaches to the same QEMU; the layer reconnects and sees it running.
    session.lab.startLibvirtd(host);
    REQUIRE(eventually([&] { return isReachable(*session.hypervisor, host); }, Duration(15000)));
    auto after = session.hypervisor->domainInfo(host, "labtest-libvirtd");
    REQUIRE(after);
    CHECK(after.value().state == hv::DomainState::Running);
    CHECK(session.lab.qemuPids(host) == qemuPids);
    CHECK_FALSE(anyStopEventFor(*session.events, "labtest-libvirtd"));
}

TEST_CASE("a network cut is detected and the layer reconnects after it heals", "[lab][faults]") {
    LabSession session;
    const std::string host = session.hostName(1);
    auto guest = runGuest(session, host, lab::Guest::Diskless, "labtest-netcut");
    const auto qemuPids = session.lab.qemuPids(host);
    OnExit heal([&] { session.lab.healNetwork(host); });

    session.lab.cutNetwork(host);
    const auto detection = timeUntil([&] { return !isReachable(*session.hypervisor, host); }, Duration(15000));
    INFO("cut detected after " << detection.count() << " ms");
    CHECK(detection <= kKeepAliveBound + Duration(1500));

    session.lab.healNetwork(host);
    const auto reconnection = timeUntil([&] { return isReachable(*session.hypervisor, host); }, Duration(15000));
    INFO("reconnected after " << reconnection.count() << " ms");
    // One backoff step at most (reconnectMax) plus the connection set-up.
    CHECK(reconnection <= Duration(5000));

    auto info = session.hypervisor->domainInfo(host, "labtest-netcut");
    REQUIRE(info);
    CHECK(info.value().state == hv::DomainState::Running);
    CHECK(session.lab.qemuPids(host) == qemuPids);

    // One Unreachable and one Reachable event for this host, in that order, after the cut.
    std::vector<hv::Reachability> changes;
    for (const auto& event : session.events->snapshot()) {
        if (const auto* hostEvent = std::get_if<hv::HostEvent>(&event); hostEvent && hostEvent->host == host) {
            changes.push_back(hostEvent->status.reachability);
        }
    }
    CHECK(changes == std::vector<hv::Reachability>{hv::Reachability::Reachable, hv::Reachability::Unreachable,
                                                    hv::Reachability::Reachable});
}
