// The guest agent link over a real virtio-serial channel: the Linux lab guest writes a protocol
// heartbeat line a second to org.faxover.agent.0 and answers commands (tests/lab/guest/init);
// GuestAgents reads it through LibvirtHypervisor::openChannel (virDomainOpenChannel + a
// non-blocking stream) and writes commands to it.
#include "LabTestSupport.h"

#include "faxover/orchestrator/agent/GuestAgents.h"
#include "faxover/orchestrator/ports/WallClock.h"

using namespace faxover;
using namespace faxover::labtest;

namespace {

class SystemWall final : public orchestrator::ports::WallClock {
public:
    orchestrator::ports::WallTime now() const override { return std::chrono::system_clock::now(); }
};

std::shared_ptr<const policy::Policy> agentPolicy(const std::string& domain) {
    policy::Policy policy;
    policy::ServicePolicy service;
    service.name = "fax";
    service.domain = {policy::DomainRef::Kind::Name, domain};
    service.guestAgent = policy::GuestAgentPolicy{};
    // Short, so that the stream's end shows in the health soon after the domain stops.
    service.guestAgent->heartbeatTimeout = std::chrono::milliseconds(3000);
    policy.services = {service};
    return std::make_shared<const policy::Policy>(policy);
}

std::string uuidOf(LabSession& session, const std::string& host, const std::string& name) {
    auto info = session.hypervisor->domainInfo(host, name);
    REQUIRE(info);
    return info.value().uuid;
}

// The guest boots (TCG, a few seconds), then writes a heartbeat every second: the health once the
// agent has answered, as the monitor asks (by UUID, once per round).
orchestrator::engine::GuestHealth answeredHealth(orchestrator::agent::GuestAgents& agents, const std::string& host,
                                                 const std::string& uuid) {
    std::optional<orchestrator::engine::GuestHealth> health;
    const bool answered = eventually(
        [&] {
            health = agents.check(host, uuid);
            return health && health->agentAnswered;
        },
        Duration(60000));
    INFO((health ? health->detail : std::string("no health")));
    REQUIRE(answered);
    return *health;
}

}  // namespace

TEST_CASE("guest agent heartbeats arrive through a real virtio-serial channel", "[lab][agent]") {
    LabSession session;
    const std::string host = session.hostName(0);
    const std::string name = "labtest-agent";
    auto guest = runGuest(session, host, lab::Guest::Linux, name);
    const std::string uuid = uuidOf(session, host, name);

    SystemWall wall;
    orchestrator::agent::GuestAgents agents(*session.hypervisor, wall, nullptr, agentPolicy(name));
    std::optional<orchestrator::engine::GuestHealth> health = answeredHealth(agents, host, uuid);
    CHECK(health->faxServiceUp);
    CHECK(health->agentVersion == "faxlab");
    CHECK(health->telephony == "sr140");
    CHECK(health->licence == "licensed");
    // More come on the same stream, and nothing was refused.
    const auto first = agents.counters("fax").value().heartbeats;
    REQUIRE(eventually([&] { return agents.counters("fax").value().heartbeats >= first + 2; }, Duration(10000)));
    CHECK(agents.counters("fax").value().garbage == 0);
    CHECK(agents.counters("fax").value().dropped == 0);

    // A command goes down the same stream (virStreamSend) and the guest's reply comes back up.
    orchestrator::ports::GuestAgentRequest request;
    request.command = orchestrator::ports::GuestAgentCommand::Quiesce;
    request.service = "fax";
    request.host = host;
    request.domain = name;
    request.timeout = std::chrono::milliseconds(5000);
    const auto replied = agents.run(request);
    INFO((replied ? std::string() : replied.error().message));
    REQUIRE(replied);
    CHECK(replied.value() == "faxlab quiesce");
    CHECK(agents.counters("fax").value().replies == 1);

    // The domain stops: the stream ends, heartbeats are lost, and the reopen fails and says why.
    REQUIRE(session.hypervisor->destroyDomain(host, name));
    REQUIRE(eventually(
        [&] {
            health = agents.check(host, uuid);
            return health && health->detail.find("cannot open channel") != std::string::npos;
        },
        Duration(10000)));
}

TEST_CASE("guest agent channel follows a live migration to the destination host", "[lab][agent]") {
    LabSession session;
    const std::string source = session.hostName(0);
    const std::string destination = session.hostName(1);
    const std::string name = "labtest-agent-move";
    auto guest = runGuest(session, source, lab::Guest::Linux, name);
    const std::string uuid = uuidOf(session, source, name);

    SystemWall wall;
    orchestrator::agent::GuestAgents agents(*session.hypervisor, wall, nullptr, agentPolicy(name));
    (void)answeredHealth(agents, source, uuid);

    hv::MigrationOptions options;
    options.maxDowntime = Duration(300);
    auto migrated = session.hypervisor->migrateLive(source, destination, name, options, [](const hv::MigrationProgress&) {});
    INFO((migrated ? std::string() : migrated.error().message));
    REQUIRE(migrated);
    // The source's stream ended with the migration; the monitor now asks on the destination, where
    // the channel is opened again and heartbeats go on (only the destination's QEMU runs the guest).
    const auto before = agents.counters("fax").value().heartbeats;
    std::optional<orchestrator::engine::GuestHealth> health;
    const bool more = eventually(
        [&] {
            health = agents.check(destination, uuid);
            return agents.counters("fax").value().heartbeats >= before + 2;
        },
        Duration(15000));
    INFO((health ? health->detail : std::string("no health")));
    REQUIRE(more);
    CHECK(health->agentAnswered);
    CHECK(agents.counters("fax").value().garbage == 0);
}
