// The Monitor's round against the simulated hypervisor: both liveness signals, listings, the
// protected domain's details read once, and the guest health hook asked for running domains.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/runtime/Monitor.h"

#include <catch2/catch.hpp>

namespace {

namespace hv = faxover::hv;
namespace ports = faxover::orchestrator::ports;
namespace policy = faxover::policy;
using faxover::orchestrator::runtime::Monitor;

class AnswersFor final : public ports::TcpProber {
public:
    explicit AnswersFor(std::string address) : address_(std::move(address)) {}
    std::vector<bool> probe(const std::vector<ports::ProbeTarget>& targets, hv::Duration) override {
        std::vector<bool> answered;
        for (const auto& target : targets) answered.push_back(target.address == address_);
        return answered;
    }

private:
    std::string address_;
};

class RecordingGuests final : public ports::GuestHealthProbe {
public:
    std::optional<ports::GuestHealth> check(const std::string& host, const std::string& domain) override {
        asked.push_back(host + "/" + domain);
        return ports::GuestHealth{true, false, "faxq not running"};
    }
    std::vector<std::string> asked;
};

constexpr const char* kDomainXml =
    "<domain type='kvm'><name>fax-a</name><uuid>00000000-0000-4000-8000-000000000001</uuid>"
    "<memory unit='MiB'>512</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>";

policy::Policy twoHosts() {
    policy::Policy result;
    for (int i = 1; i <= 2; ++i) {
        policy::HostPolicy host;
        host.name = "h" + std::to_string(i);
        host.uri = "qemu+tcp://10.0.0." + std::to_string(i) + "/system";
        host.probeAddress = "10.0.0." + std::to_string(i);
        result.hosts.push_back(host);
    }
    policy::ServicePolicy service;
    service.name = "fax-a";
    service.domain = {policy::DomainRef::Kind::Name, "fax-a"};
    result.services.push_back(service);
    return result;
}

}  // namespace

TEST_CASE("monitor: one round reads both signals, listings and the guest hook", "[runtime]") {
    hv::ManualClock clock;
    hv::sim::SimulatedHypervisor hypervisor(clock);
    const auto policy = twoHosts();
    for (const auto& host : policy.hosts) REQUIRE(hypervisor.addHost({host.name, host.uri, host.probeAddress}));
    REQUIRE(hypervisor.defineDomain("h1", kDomainXml));
    REQUIRE(hypervisor.startDomain("h1", "fax-a"));
    REQUIRE(hypervisor.cutNetwork("h2"));

    AnswersFor prober("10.0.0.1");
    RecordingGuests guests;
    Monitor monitor(hypervisor, prober, &guests);
    const auto round = monitor.collect(policy);

    REQUIRE(round.hosts.size() == 2);
    CHECK(round.hosts[0].probe.tcpAnswered);
    CHECK(round.hosts[0].probe.libvirt == hv::Reachability::Reachable);
    REQUIRE(round.hosts[0].domains);
    CHECK(round.hosts[0].domains->size() == 1);
    CHECK(round.hosts[0].inventory);
    CHECK_FALSE(round.hosts[1].probe.tcpAnswered);
    CHECK(round.hosts[1].probe.libvirt == hv::Reachability::Unreachable);
    CHECK_FALSE(round.hosts[1].domains);

    REQUIRE(round.details.size() == 1);
    CHECK(round.details[0].service == "fax-a");
    CHECK(round.details[0].host == "h1");
    CHECK_THAT(round.details[0].xml, Catch::Contains("<name>fax-a</name>"));
    REQUIRE(round.guests.size() == 1);
    CHECK(round.guests[0].health.detail == "faxq not running");
    CHECK(guests.asked == std::vector<std::string>{"h1/00000000-0000-4000-8000-000000000001"});

    // The definition is read once per (service, host, domain); the guest is asked every round.
    const auto next = monitor.collect(policy);
    CHECK(next.details.empty());
    CHECK(next.guests.size() == 1);
}
