#include "faxover/orchestrator/engine/Placement.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

using namespace faxover::orchestrator::engine;
namespace policy = faxover::policy;

namespace {

policy::HostPolicy hostPolicy(const std::string& name, const std::string& site = "default",
                              std::optional<int> servicesLimit = std::nullopt) {
    policy::HostPolicy host;
    host.name = name;
    host.uri = "qemu+tcp://" + name + "/system";
    host.site = site;
    host.capacity.services = servicesLimit;
    return host;
}

PlacementHost viewHost(const std::string& name, std::uint64_t freeMemoryMiB = 8192, int freeVcpus = 8,
                       std::vector<std::string> services = {}) {
    PlacementHost host;
    host.name = name;
    host.eligible = true;
    host.freeMemoryMiB = freeMemoryMiB;
    host.freeVcpus = freeVcpus;
    host.services = std::move(services);
    return host;
}

ServiceToPlace service(const std::string& name, std::uint64_t memoryMiB = 1024, int vcpus = 1, int priority = 50) {
    ServiceToPlace toPlace;
    toPlace.policy.name = name;
    toPlace.policy.priority = priority;
    toPlace.memoryMiB = memoryMiB;
    toPlace.vcpus = vcpus;
    return toPlace;
}

// A policy naming hosts lab1..labN on site "default", plus the given services' policies.
policy::Policy policyWith(std::vector<policy::HostPolicy> hosts, const std::vector<ServiceToPlace>& services = {}) {
    policy::Policy result;
    result.hosts = std::move(hosts);
    for (const auto& s : services) result.services.push_back(s.policy);
    return result;
}

std::string hostOf(const PlacementPlan& plan, const std::string& service) {
    const Placement* placement = plan.placementOf(service);
    return placement == nullptr ? "" : placement->host;
}

}  // namespace

TEST_CASE("placement: only eligible, non-excluded hosts in the policy are used", "[engine]") {
    auto fax = service("fax-a");
    fax.excludedHosts = {"lab1"};
    ClusterView view;
    view.hosts = {viewHost("lab1", 65536), viewHost("lab2", 65536), viewHost("lab3", 65536), viewHost("lab4", 1024 + 1)};
    view.hosts[1].eligible = false;
    view.hosts[1].ineligibleReason = "draining";
    // lab3 has the most memory but is unknown to the policy.
    const auto policyValue = policyWith({hostPolicy("lab1"), hostPolicy("lab2"), hostPolicy("lab4")});
    const auto plan = planPlacement(policyValue, view, {fax});
    REQUIRE(plan.unplaced.empty());
    CHECK(hostOf(plan, "fax-a") == "lab4");

    view.hosts[3].eligible = false;
    const auto none = planPlacement(policyValue, view, {fax});
    CHECK(none.placements.empty());
    REQUIRE(none.unplaced.size() == 1);
    CHECK(none.unplaced[0].reasons ==
          std::vector<std::string>{"lab1: excluded", "lab2: not eligible (draining)", "lab3: not in the policy", "lab4: not eligible"});
}

TEST_CASE("placement: memory, vCPUs and the services limit must fit, with reasons", "[engine]") {
    ClusterView view;
    view.hosts = {viewHost("lab1", 4096, 1), viewHost("lab2", 512, 8), viewHost("lab3", 8192, 8, {"fax-x", "fax-y"})};
    const auto policyValue = policyWith({hostPolicy("lab1"), hostPolicy("lab2"), hostPolicy("lab3", "default", 2)});
    const auto plan = planPlacement(policyValue, view, {service("fax-a", 2048, 2)});
    CHECK(plan.placements.empty());
    REQUIRE(plan.unplaced.size() == 1);
    CHECK(plan.unplaced[0].service == "fax-a");
    CHECK(plan.unplaced[0].reasons == std::vector<std::string>{"lab1: needs 2 vCPUs, 1 free",
                                                                "lab2: needs 2048 MiB, 512 MiB free",
                                                                "lab3: services limit 2 reached"});
    CHECK(plan.unplaced[0].explain() ==
          "no host for fax-a: lab1: needs 2 vCPUs, 1 free; lab2: needs 2048 MiB, 512 MiB free; lab3: services limit 2 reached");

    // Exactly enough fits.
    view.hosts[0].freeVcpus = 2;
    CHECK(hostOf(planPlacement(policyValue, view, {service("fax-a", 2048, 2)}), "fax-a") == "lab1");
}

TEST_CASE("placement: anti-affinity holds whichever service names the other", "[engine]") {
    auto faxA = service("fax-a");
    faxA.policy.antiAffinity = {"fax-b"};
    auto faxB = service("fax-b");
    auto faxC = service("fax-c");
    faxC.policy.antiAffinity = {"fax-a"};
    const auto policyValue = policyWith({hostPolicy("lab1"), hostPolicy("lab2"), hostPolicy("lab3")}, {faxA, faxB, faxC});

    ClusterView view;
    view.hosts = {viewHost("lab1", 65536, 8, {"fax-b"}), viewHost("lab2", 8192, 8, {"fax-c"}), viewHost("lab3", 4096)};
    // fax-a names fax-b (on lab1); fax-c (on lab2) names fax-a: only lab3 is left.
    CHECK(hostOf(planPlacement(policyValue, view, {faxA}), "fax-a") == "lab3");

    view.hosts[2].eligible = false;
    const auto plan = planPlacement(policyValue, view, {faxA});
    REQUIRE(plan.unplaced.size() == 1);
    CHECK(plan.unplaced[0].reasons == std::vector<std::string>{"lab1: anti-affinity with fax-b",
                                                                "lab2: anti-affinity with fax-c", "lab3: not eligible"});

    // fax-b, named by fax-a only, avoids the host fax-a is given in the same plan.
    ClusterView two;
    two.hosts = {viewHost("lab1", 8192), viewHost("lab2", 4096)};
    auto faxAFirst = faxA;
    faxAFirst.policy.priority = 90;
    const auto both = planPlacement(policyValue, two, {faxB, faxAFirst});
    CHECK(hostOf(both, "fax-a") == "lab1");
    CHECK(hostOf(both, "fax-b") == "lab2");
}

TEST_CASE("placement: preferred hosts in order, then preferred sites in order, then any", "[engine]") {
    const auto policyValue = policyWith({hostPolicy("a1", "east"), hostPolicy("a2", "east"), hostPolicy("b1", "west"),
                                         hostPolicy("c1", "north")});
    ClusterView view;
    view.hosts = {viewHost("a1", 2048), viewHost("a2", 4096), viewHost("b1", 8192), viewHost("c1", 65536)};

    auto fax = service("fax-a");
    fax.policy.preferredHosts = {"b1", "a1"};
    fax.policy.preferredSites = {"east"};
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "b1");  // first preferred host
    view.hosts[2].eligible = false;
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "a1");  // second, despite a2's memory
    view.hosts[0].eligible = false;
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "a2");  // a host of the preferred site
    view.hosts[1].eligible = false;
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "c1");  // any other

    auto bySite = service("fax-b");
    bySite.policy.preferredSites = {"west", "east"};
    ClusterView all;
    all.hosts = {viewHost("a1", 2048), viewHost("a2", 4096), viewHost("b1", 1024), viewHost("c1", 65536)};
    CHECK(hostOf(planPlacement(policyValue, all, {bySite}), "fax-b") == "b1");
    all.hosts[2].freeMemoryMiB = 512;  // b1 full: the second site, its host with most free memory
    CHECK(hostOf(planPlacement(policyValue, all, {bySite}), "fax-b") == "a2");
}

TEST_CASE("placement: ties go to most free memory, then host name", "[engine]") {
    const auto policyValue = policyWith({hostPolicy("lab1"), hostPolicy("lab2"), hostPolicy("lab3")});
    ClusterView view;
    view.hosts = {viewHost("lab3", 4096), viewHost("lab2", 8192), viewHost("lab1", 8192)};
    CHECK(hostOf(planPlacement(policyValue, view, {service("fax-a")}), "fax-a") == "lab1");
    view.hosts[0].freeMemoryMiB = 9000;
    CHECK(hostOf(planPlacement(policyValue, view, {service("fax-a")}), "fax-a") == "lab3");
}

TEST_CASE("placement: higher priority first when capacity is short, ties by name", "[engine]") {
    const auto policyValue = policyWith({hostPolicy("lab1"), hostPolicy("lab2")});
    ClusterView view;
    view.hosts = {viewHost("lab1", 2048), viewHost("lab2", 1024)};  // room for three 1 GiB services
    const std::vector<ServiceToPlace> services{service("fax-low", 1024, 1, 10), service("fax-b", 1024, 1, 50),
                                               service("fax-top", 1024, 1, 90), service("fax-a", 1024, 1, 50)};
    const auto plan = planPlacement(policyValue, view, services);
    CHECK(plan.placements == std::vector<Placement>{{"fax-top", "lab1"}, {"fax-a", "lab1"}, {"fax-b", "lab2"}});
    REQUIRE(plan.unplaced.size() == 1);
    CHECK(plan.unplaced[0].service == "fax-low");
    CHECK(plan.unplaced[0].reasons ==
          std::vector<std::string>{"lab1: needs 1024 MiB, 0 MiB free", "lab2: needs 1024 MiB, 0 MiB free"});
}

TEST_CASE("placement: capacity is consumed as services are placed, never overcommitted", "[engine]") {
    const auto policyValue = policyWith({hostPolicy("lab1", "default", 2), hostPolicy("lab2")});
    ClusterView view;
    view.hosts = {viewHost("lab1", 65536, 64, {"fax-old"}), viewHost("lab2", 3000, 3)};
    std::vector<ServiceToPlace> services;
    for (const char* name : {"fax-1", "fax-2", "fax-3", "fax-4"}) {
        services.push_back(service(name, 1000, 1));
        services.back().policy.preferredHosts = {"lab1"};
    }
    const auto plan = planPlacement(policyValue, view, services);
    // lab1 takes one more (limit 2 with fax-old there); lab2 takes three by memory and vCPUs.
    CHECK(plan.placements ==
          std::vector<Placement>{{"fax-1", "lab1"}, {"fax-2", "lab2"}, {"fax-3", "lab2"}, {"fax-4", "lab2"}});
    CHECK(plan.unplaced.empty());

    services.push_back(service("fax-5", 1000, 1));
    const auto over = planPlacement(policyValue, view, services);
    REQUIRE(over.unplaced.size() == 1);
    CHECK(over.unplaced[0].reasons == std::vector<std::string>{"lab1: services limit 2 reached",
                                                                "lab2: needs 1000 MiB, 0 MiB free",
                                                                "lab2: needs 1 vCPUs, 0 free"});
}

TEST_CASE("placement: the plan does not depend on the order of hosts or services", "[engine]") {
    std::vector<policy::HostPolicy> hosts;
    ClusterView view;
    for (int i = 0; i < 12; ++i) {
        const std::string name = "h" + std::to_string(i);
        hosts.push_back(hostPolicy(name, i % 3 == 0 ? "east" : "west", 4));
        view.hosts.push_back(viewHost(name, 2048 + static_cast<std::uint64_t>(i % 4) * 1024, 4));
    }
    std::vector<ServiceToPlace> services;
    for (int i = 0; i < 40; ++i) {
        auto s = service("fax-" + std::to_string(i), 512 + static_cast<std::uint64_t>(i % 3) * 512, 1 + i % 2, 10 + (i * 7) % 50);
        if (i % 5 == 0) s.policy.preferredSites = {"east"};
        if (i % 7 == 0) s.policy.preferredHosts = {"h" + std::to_string(i % 12)};
        if (i % 4 == 0) s.policy.antiAffinity = {"fax-" + std::to_string(i + 1)};
        services.push_back(s);
    }
    const auto policyValue = policyWith(hosts, services);
    const auto plan = planPlacement(policyValue, view, services);
    CHECK_FALSE(plan.placements.empty());
    CHECK_FALSE(plan.unplaced.empty());  // 40 services want more than 12 hosts hold

    auto reversedView = view;
    std::reverse(reversedView.hosts.begin(), reversedView.hosts.end());
    auto rotatedServices = services;
    std::rotate(rotatedServices.begin(), rotatedServices.begin() + 13, rotatedServices.end());
    CHECK(planPlacement(policyValue, reversedView, rotatedServices) == plan);
    CHECK(planPlacement(policyValue, view, services) == plan);
}

TEST_CASE("placement: a service listed twice is placed once, and with no hosts all stay down", "[engine]") {
    const auto policyValue = policyWith({hostPolicy("lab1")});
    ClusterView view;
    view.hosts = {viewHost("lab1")};
    const auto plan = planPlacement(policyValue, view, {service("fax-a"), service("fax-a")});
    CHECK(plan.placements == std::vector<Placement>{{"fax-a", "lab1"}});
    REQUIRE(plan.unplaced.size() == 1);
    CHECK(plan.unplaced[0].reasons == std::vector<std::string>{"listed twice to place; placed once"});

    const auto empty = planPlacement(policyValue, ClusterView{}, {service("fax-a")});
    REQUIRE(empty.unplaced.size() == 1);
    CHECK(empty.unplaced[0].explain() == "no host for fax-a: no hosts in the cluster view");
    CHECK(planPlacement(policyValue, view, {}) == PlacementPlan{});
}

TEST_CASE("placement: one reason names every conflicting service on a host", "[engine]") {
    auto faxA = service("fax-a");
    faxA.policy.antiAffinity = {"fax-c", "fax-b"};
    const auto policyValue = policyWith({hostPolicy("lab1")}, {faxA});
    ClusterView view;
    view.hosts = {viewHost("lab1", 512, 8, {"fax-b", "fax-c", "fax-d"})};
    const auto plan = planPlacement(policyValue, view, {faxA});
    REQUIRE(plan.unplaced.size() == 1);
    CHECK(plan.unplaced[0].reasons ==
          std::vector<std::string>{"lab1: anti-affinity with fax-b, fax-c", "lab1: needs 1024 MiB, 512 MiB free"});
}

TEST_CASE("placement: an excluded or full preferred host gives way to the next preference", "[engine]") {
    const auto policyValue = policyWith({hostPolicy("lab1", "east"), hostPolicy("lab2", "east"), hostPolicy("lab3", "east")});
    ClusterView view;
    view.hosts = {viewHost("lab1", 8192), viewHost("lab2", 4096), viewHost("lab3", 4096)};
    auto fax = service("fax-a", 2048);
    fax.policy.preferredHosts = {"lab1", "lab3"};
    fax.excludedHosts = {"lab1"};
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "lab3");
    view.hosts[2].freeMemoryMiB = 1024;
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "lab2");
    // Equal memory within the preferred site: the host name decides.
    fax.policy.preferredHosts.clear();
    fax.policy.preferredSites = {"east"};
    view.hosts[2].freeMemoryMiB = 4096;
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "lab2");
}

TEST_CASE("placement: required labels limit the hosts, with the missing label as the reason", "[engine]") {
    auto primary = hostPolicy("h1");
    primary.labels = {{"tier", "primary"}, {"rack", "a"}};
    auto dr = hostPolicy("h2");
    dr.labels = {{"tier", "dr"}};
    auto bare = hostPolicy("h3");
    auto fax = service("fax-a");
    fax.policy.requiredLabels = {{"tier", "primary"}};
    const auto policy = policyWith({primary, dr, bare}, {fax});
    ClusterView view{{viewHost("h1", 1024), viewHost("h2", 65536), viewHost("h3", 65536)}};

    auto plan = planPlacement(policy, view, {fax});
    CHECK(hostOf(plan, "fax-a") == "h1");  // the only host with the label, though it has the least room

    fax.excludedHosts = {"h1"};
    plan = planPlacement(policy, view, {fax});
    REQUIRE(plan.unplaced.size() == 1);
    CHECK(plan.unplaced.front().reasons ==
          std::vector<std::string>{"h1: excluded", "h2: label tier is 'dr', needs 'primary'", "h3: lacks label tier=primary"});
}

TEST_CASE("placement: hosts tried in this recovery come after every untried host, preferences included", "[engine]") {
    auto fax = service("fax-a");
    fax.policy.preferredHosts = {"lab1", "lab2"};
    fax.triedHosts = {"lab1", "lab2"};
    ClusterView view;
    view.hosts = {viewHost("lab1", 65536), viewHost("lab2", 65536), viewHost("lab3", 2048)};
    const auto policyValue = policyWith({hostPolicy("lab1"), hostPolicy("lab2"), hostPolicy("lab3")});
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "lab3");

    // No untried host fits: the preferences decide among the tried ones.
    view.hosts[2].eligible = false;
    CHECK(hostOf(planPlacement(policyValue, view, {fax}), "fax-a") == "lab1");
}
