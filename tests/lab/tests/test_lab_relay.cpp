// A slow or hung management link, through the lab's TCP relay (`faxover-lab relay`): latency must
// slow calls without tripping the keepalive; a hang must be caught by the keepalive alone (the TCP
// connection stays open) and the layer must reconnect once the link moves again.
#include "LabTestSupport.h"

using namespace faxover;
using namespace faxover::labtest;

namespace {

struct TimedInventory {
    hv::Result<hv::NodeInventory> result;
    Duration took;
};

TimedInventory timedInventory(hv::Hypervisor& hypervisor, const std::string& host) {
    const auto started = std::chrono::steady_clock::now();
    auto result = hypervisor.nodeInventory(host);
    return {std::move(result),
            std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started)};
}

std::shared_ptr<EventRecorder> recordEvents(hv::Hypervisor& hypervisor) {
    auto events = std::make_shared<EventRecorder>();
    hypervisor.setEventHandler([events](const hv::HypervisorEvent& event) { events->record(event); });
    return events;
}

}  // namespace

TEST_CASE("a delayed management link slows calls but keeps the host reachable", "[lab][relay]") {
    LabSession session;  // direct connections to every host: the control
    const lab::LabHost& target = session.lab.host(2);

    // Control: the host itself, no relay. One call first, so the measured one pays for nothing lazy.
    REQUIRE(session.hypervisor->nodeInventory(target.name));
    const auto direct = timedInventory(*session.hypervisor, target.name);
    INFO("direct nodeInventory took " << direct.took.count() << " ms");
    REQUIRE(direct.result);
    CHECK(direct.took < Duration(300));

    // The same host through a relay adding 300 ms each way. The keepalive must tolerate a 600 ms
    // round trip: a ping every 2 s (answered after 0.6 s), given up after 2 unanswered ones, i.e.
    // about 6 s without any answer (libvirt: interval * (count + 1)).
    hv::ConnectionSettings settings = labConnectionSettings();
    settings.keepAliveIntervalSeconds = 2;
    settings.keepAliveCount = 2;
    const Duration keepAliveBound(settings.keepAliveIntervalSeconds * (settings.keepAliveCount + 1) * 1000);
    hv::LibvirtHypervisor relayed(settings);
    auto events = recordEvents(relayed);
    // Declared after `relayed`, so it runs first: the connection then closes at once, not slowly.
    OnExit unrelay([&] { session.lab.unrelay(target.name); });
    const std::string uri = session.lab.relay(target.name, 300);
    CHECK(uri != target.uri);
    const std::string name = target.name + "-relayed";
    REQUIRE(relayed.addHost({name, uri, target.address}));
    const auto connecting = std::chrono::steady_clock::now();
    REQUIRE(relayed.waitUntilReachable(Duration(30000)));
    INFO("connecting through the relay took "
         << std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - connecting).count() << " ms");

    const auto slow = timedInventory(relayed, name);
    INFO("nodeInventory through the relay took " << slow.took.count() << " ms");
    REQUIRE(slow.result);
    // One RPC round trip alone is 2 x 300 ms (nodeInventory makes several).
    CHECK(slow.took >= Duration(600));
    // It is the same host behind the relay: libvirt reports lab3's own hostname.
    CHECK(slow.result.value().hostname == direct.result.value().hostname);
    CHECK(isReachable(relayed, name));

    // Idle for longer than the keepalive would wait: only pings and their answers cross the slow
    // link now, and if they did not get through in time the host would read unreachable.
    std::this_thread::sleep_for(keepAliveBound + 1s);
    CHECK(isReachable(relayed, name));
    CHECK(reachabilityChanges(*events, name) == std::vector<hv::Reachability>{hv::Reachability::Reachable});
}

TEST_CASE("a stalled management link is detected by the keepalive and recovers", "[lab][relay]") {
    const lab::Lab attached = lab::Lab::attach();
    const lab::LabHost& target = attached.host(2);
    const std::string name = target.name + "-relayed";
    hv::LibvirtHypervisor hypervisor(labConnectionSettings());
    auto events = recordEvents(hypervisor);
    // Declared after `hypervisor`, so it runs first: with the relay gone a reconnect attempt fails at
    // once instead of hanging in virConnectOpen (which has no timeout) on a stalled link.
    OnExit unrelay([&] { attached.unrelay(target.name); });
    const std::string uri = attached.relay(target.name, 0);
    REQUIRE(hypervisor.addHost({name, uri, target.address}));
    REQUIRE(hypervisor.waitUntilReachable(Duration(15000)));
    REQUIRE(hypervisor.nodeInventory(name));

    attached.stall(target.name);
    const auto detection = timeUntil([&] { return !isReachable(hypervisor, name); }, Duration(15000));
    INFO("stall detected after " << detection.count() << " ms");
    // Nothing closes on a stalled link: only the keepalive can notice. Allow one interval of slack.
    CHECK(detection <= kKeepAliveBound + Duration(1500));
    auto status = hypervisor.hostStatus(name);
    REQUIRE(status);
    INFO("reason: " << status.value().reason);
    CHECK_THAT(status.value().reason, Catch::Contains("keepalive"));

    // While the link hangs, reconnecting gets a TCP connection to the relay but no answer.
    std::this_thread::sleep_for(2s);
    CHECK_FALSE(isReachable(hypervisor, name));
    auto duringStall = hypervisor.nodeInventory(name);
    REQUIRE_FALSE(duringStall);
    CHECK(duringStall.error().kind == hv::ErrorKind::HostUnreachable);

    attached.unstall(target.name);
    const auto recovery = timeUntil([&] { return isReachable(hypervisor, name); }, Duration(15000));
    INFO("reachable again " << recovery.count() << " ms after unstall");
    CHECK(recovery <= Duration(5000));
    auto after = hypervisor.nodeInventory(name);
    REQUIRE(after);
    CHECK(after.value().hostname == target.name);
    CHECK(reachabilityChanges(*events, name) ==
          std::vector<hv::Reachability>{hv::Reachability::Reachable, hv::Reachability::Unreachable,
                                        hv::Reachability::Reachable});
}

TEST_CASE("destroying the layer while a host is wedged returns promptly and delivers nothing after", "[lab][relay]") {
    const lab::Lab attached = lab::Lab::attach();
    const lab::LabHost& target = attached.host(2);
    const std::string name = target.name + "-wedged";
    // Declared first, so it runs last: the link stays wedged while the layer is destroyed.
    OnExit unrelay([&] { attached.unrelay(target.name); });
    const std::string uri = attached.relay(target.name, 0);
    const hv::ConnectionSettings settings = labConnectionSettings();
    auto hypervisor = std::make_unique<hv::LibvirtHypervisor>(settings);
    auto events = recordEvents(*hypervisor);
    REQUIRE(hypervisor->addHost({name, uri, target.address}));
    REQUIRE(hypervisor->waitUntilReachable(Duration(15000)));

    attached.stall(target.name);
    REQUIRE(eventually([&] { return !isReachable(*hypervisor, name); }, Duration(15000)));
    // The TCP probe reaches the relay, so the supervisor is now inside virConnectOpen, which has no
    // timeout and will not return while the link hangs.
    std::this_thread::sleep_for(1500ms);
    const std::size_t eventsBefore = events->snapshot().size();

    const auto started = std::chrono::steady_clock::now();
    hypervisor.reset();
    const auto took = std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
    INFO("destroying the layer took " << took.count() << " ms");
    CHECK(took <= settings.abandonSupervisorAfter + Duration(1000));

    // Unwedged, the abandoned supervisor's open completes; it must close quietly, reporting to no one.
    attached.unstall(target.name);
    std::this_thread::sleep_for(2s);
    CHECK(events->snapshot().size() == eventsBefore);
}
