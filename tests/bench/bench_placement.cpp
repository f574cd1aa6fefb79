// How long the engine's placement takes on a large cluster. Prints figures; asserts nothing.
//   bench_placement [REPEATS]     default 5; prints the median and the slowest
//
// The cluster: 1,000 hosts on 4 sites, 10,000 services (10 per host, 1-4 GiB, 1-2 vCPUs, priorities
// 1-100, every tenth with a preferred site, every fifth with a preferred host, pairs in
// anti-affinity). Host 0 fails. Two figures:
//   failover  its services re-placed on the 999 others, which hold the other 9,990;
//   cold      all 10,000 placed at once on the 999 survivors, nothing running (the worst case).
#include "faxover/orchestrator/engine/Placement.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace faxover;
using namespace faxover::orchestrator::engine;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kHosts = 1000;
constexpr int kServices = 10000;
constexpr int kPerHost = kServices / kHosts;

std::string hostName(int i) { return "hv" + std::to_string(i); }
std::string serviceName(int i) { return "fax-" + std::to_string(i); }

struct Cluster {
    policy::Policy policy;
    std::vector<ServiceToPlace> services;  // index i runs on host i / kPerHost
};

Cluster makeCluster() {
    Cluster cluster;
    for (int h = 0; h < kHosts; ++h) {
        policy::HostPolicy host;
        host.name = hostName(h);
        host.site = "site" + std::to_string(h % 4);
        host.capacity.services = 24;
        cluster.policy.hosts.push_back(host);
    }
    for (int s = 0; s < kServices; ++s) {
        ServiceToPlace service;
        service.policy.name = serviceName(s);
        service.policy.priority = 1 + (s * 37) % 100;
        if (s % 10 == 0) service.policy.preferredSites = {"site" + std::to_string(s % 4)};
        if (s % 5 == 0) service.policy.preferredHosts = {hostName((s * 13) % kHosts)};
        if (s % 2 == 0) service.policy.antiAffinity = {serviceName(s + 1)};
        service.memoryMiB = 1024 * static_cast<std::uint64_t>(1 + s % 4);
        service.vcpus = 1 + s % 2;
        service.excludedHosts = {hostName(0)};
        cluster.policy.services.push_back(service.policy);
        cluster.services.push_back(service);
    }
    return cluster;
}

// Every host but the failed one, with `running` services on it and 64 GiB / 32 vCPUs total.
ClusterView makeView(bool running) {
    ClusterView view;
    for (int h = 0; h < kHosts; ++h) {
        PlacementHost host;
        host.name = hostName(h);
        host.eligible = h != 0;
        host.ineligibleReason = h == 0 ? "failed" : "";
        host.freeMemoryMiB = 65536;
        host.freeVcpus = 32;
        if (running) {
            for (int s = h * kPerHost; s < (h + 1) * kPerHost; ++s) {
                host.services.push_back(serviceName(s));
                host.freeMemoryMiB -= 1024 * static_cast<std::uint64_t>(1 + s % 4);
                host.freeVcpus -= 1 + s % 2;
            }
        }
        view.hosts.push_back(host);
    }
    return view;
}

struct Figure {
    double medianMs = 0;
    double maxMs = 0;
    PlacementPlan plan{};
};

Figure measure(int repeats, const policy::Policy& policyValue, const ClusterView& view,
               const std::vector<ServiceToPlace>& services) {
    std::vector<double> times;
    Figure figure;
    for (int r = 0; r < repeats; ++r) {
        const auto start = Clock::now();
        figure.plan = planPlacement(policyValue, view, services);
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    figure.medianMs = times[times.size() / 2];
    figure.maxMs = times.back();
    return figure;
}

void print(const char* label, std::size_t count, const Figure& figure) {
    std::printf("%-9s %5zu services on %d hosts: median %8.2f ms, slowest %8.2f ms (%zu placed, %zu unplaced)\n",
                label, count, kHosts - 1, figure.medianMs, figure.maxMs, figure.plan.placements.size(),
                figure.plan.unplaced.size());
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
    const Cluster cluster = makeCluster();

    const std::vector<ServiceToPlace> orphans(cluster.services.begin(), cluster.services.begin() + kPerHost);
    print("failover", orphans.size(), measure(repeats, cluster.policy, makeView(true), orphans));
    print("cold", cluster.services.size(), measure(repeats, cluster.policy, makeView(false), cluster.services));
    return 0;
}
