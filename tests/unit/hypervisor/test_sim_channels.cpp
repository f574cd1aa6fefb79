// SimulatedHypervisor's guest channels: bytes both ways, and the stream's end when the domain's
// run ends (stop, crash, migration, host lost), after which nothing more is delivered.
#include "test_sim_support.h"

using namespace faxover::hv;
using namespace faxover::hv::sim;
using namespace faxover::hv::sim::test;

namespace {

constexpr const char* kAgent = "org.faxover.agent.0";

struct Received {
    std::string bytes;
    std::vector<std::string> closed;
    ChannelHandler handler() {
        return {[this](std::string_view got) { bytes.append(got); },
                [this](const std::string& why) { closed.push_back(why); }};
    }
};

std::unique_ptr<Channel> open(SimFixture& f, Received& received, const std::string& host = "a") {
    auto channel = f.sim.openChannel(host, "fax1", kAgent, received.handler());
    INFO(describeResult(channel));
    REQUIRE(channel.has_value());
    return std::move(channel).value();
}

}  // namespace

TEST_CASE("sim channel: the guest's bytes reach the host end, the host's writes reach the guest", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    Received received;
    auto channel = open(f, received);
    SIM_REQUIRE_OK(f.sim.writeFromGuest("fax1", kAgent, "{\"v\":1}\n"));
    SIM_REQUIRE_OK(f.sim.writeFromGuest(kFaxUuid, kAgent, "part"));
    CHECK(received.bytes == "{\"v\":1}\npart");
    SIM_REQUIRE_OK(channel->write("command\n"));
    CHECK(f.sim.takeWrittenToGuest("fax1", kAgent) == "command\n");
    CHECK(f.sim.takeWrittenToGuest("fax1", kAgent).empty());
    CHECK(channel->isOpen());
    // Another channel name of the same domain has no host end.
    SIM_REQUIRE_ERROR(f.sim.writeFromGuest("fax1", "org.qemu.guest_agent.0", "x"), ErrorKind::OperationInvalid);
}

TEST_CASE("sim channel: opening needs a running domain on a reachable host", "[sim]") {
    SimFixture f;
    Received received;
    SIM_REQUIRE_ERROR(f.sim.openChannel("a", "fax1", kAgent, received.handler()), ErrorKind::NoSuchDomain);
    SIM_REQUIRE_OK(f.sim.defineDomain("a", domainXml("fax1")));
    SIM_REQUIRE_ERROR(f.sim.openChannel("a", "fax1", kAgent, received.handler()), ErrorKind::OperationInvalid);
    SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    SIM_REQUIRE_OK(f.sim.cutNetwork("a"));
    SIM_REQUIRE_ERROR(f.sim.openChannel("a", "fax1", kAgent, received.handler()), ErrorKind::HostUnreachable);
    SIM_REQUIRE_ERROR(f.sim.openChannel("nowhere", "fax1", kAgent, received.handler()), ErrorKind::InvalidArgument);
}

TEST_CASE("sim channel: the stream ends once when the domain's run ends", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    Received received;
    auto channel = open(f, received);
    SECTION("crash") { SIM_REQUIRE_OK(f.sim.crashDomain("a", "fax1")); }
    SECTION("destroy and start again: another run") {
        SIM_REQUIRE_OK(f.sim.destroyDomain("a", "fax1"));
        SIM_REQUIRE_OK(f.sim.startDomain("a", "fax1"));
    }
    SECTION("live migration") {
        SIM_REQUIRE_OK(f.sim.migrateLive("a", "b", "fax1", MigrationOptions{}, [](const MigrationProgress&) {}));
    }
    SECTION("host powered off") { SIM_REQUIRE_OK(f.sim.powerOff("a")); }
    SECTION("connection lost") { SIM_REQUIRE_OK(f.sim.crashLibvirtd("a")); }
    REQUIRE(received.closed.size() == 1);
    CHECK_FALSE(channel->isOpen());
    SIM_REQUIRE_ERROR(channel->write("late\n"), ErrorKind::OperationFailed);
    // Nothing reaches an ended stream, not even when the domain runs again.
    (void)f.sim.writeFromGuest("fax1", kAgent, "after\n");
    CHECK(received.bytes.empty());
    CHECK(received.closed.size() == 1);
}

TEST_CASE("sim channel: a closed host end gets nothing; a new one takes the channel over", "[sim]") {
    SimFixture f;
    f.defineAndStart("a", "fax1");
    Received first;
    auto channel = open(f, first);
    Received second;
    auto newer = open(f, second);
    CHECK_FALSE(channel->isOpen());
    SIM_REQUIRE_OK(f.sim.writeFromGuest("fax1", kAgent, "hb\n"));
    CHECK(first.bytes.empty());
    CHECK(second.bytes == "hb\n");
    newer.reset();
    CHECK(f.sim.openChannelsForTest() == 0);
    SIM_REQUIRE_ERROR(f.sim.writeFromGuest("fax1", kAgent, "lost\n"), ErrorKind::OperationInvalid);
    CHECK(second.bytes == "hb\n");
}
