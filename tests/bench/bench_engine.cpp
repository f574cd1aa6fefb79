// How long one engine::decide() takes on a large cluster. Prints figures; asserts nothing.
//   bench_engine [RUNS [VARIANT]]     default 50 runs of each variant (steady, unfenced, fenced, drain);
//                                     prints the median, the 99th percentile and the slowest.
//                                     With VARIANT, only that one is timed (for a profiler).
//
// The cluster: 1,000 hosts on 4 sites (one fence_ipmilan level each, the default monitoring
// profile, 64 GiB and 32 CPUs), 10,000 services (10 per host, 1-4 GiB, 1-2 vCPUs, priorities 1-100,
// every tenth with a preferred site, every fifth with a preferred host, pairs in anti-affinity),
// each with one running copy and remembered as ok there. Three decisions, each timed alone (the
// input is built once, outside the timing):
//   steady      nothing failed: every service is evaluated, nothing to do;
//   unfenced    host hv0 failed (both signals silent, libvirt unreachable), not fenced yet: its 10
//               services have no copy; the decision asks for the fence and waits;
//   fenced      the same host confirmed off, with the memory the "unfenced" decision left: the
//               decision places and starts its 10 services on the 999 others;
//   drain       nothing failed, host hv1 put in maintenance: its 10 services are live-migrated off,
//               each target picked alone (ClusterPlacement::pickTarget, a cluster view per service).
// And the same cluster with fax boards (docs/boards.md): two TR1034 boards per host on its site's
// trunk group, the first service of each host (1,000 of them) in board mode holding the first:
//   boards-steady   nothing failed: 1,000 reservations checked against what runs;
//   boards-fenced   host hv0 confirmed off: its board service needs a free board on its trunk
//                   group (hosts of site0) and gets one; its old board is released.
#include "faxover/orchestrator/engine/Engine.h"
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
constexpr std::uint64_t kHostMemoryMiB = 65536;
constexpr int kHostCpus = 32;

std::string hostName(int i) { return "hv" + std::to_string(i); }
std::string serviceName(int i) { return "fax-" + std::to_string(i); }
std::uint64_t serviceMemoryMiB(int s) { return 1024 * static_cast<std::uint64_t>(1 + s % 4); }
int serviceVcpus(int s) { return 1 + s % 2; }

policy::Policy makePolicy() {
    policy::Policy cluster;
    cluster.monitoring = policy::defaultProfile();
    for (int h = 0; h < kHosts; ++h) {
        policy::HostPolicy host;
        host.name = hostName(h);
        host.uri = "qemu+tcp://10.1." + std::to_string(h / 250) + "." + std::to_string(h % 250 + 1) + "/system";
        host.migrationAddress = "10.1." + std::to_string(h / 250) + "." + std::to_string(h % 250 + 1);
        host.probeAddress = host.migrationAddress;
        host.site = "site" + std::to_string(h % 4);
        host.capacity.services = 24;
        policy::FenceLevel level;
        level.method = policy::FenceMethod::Agent;
        level.command = "fence_ipmilan";
        level.parameters = {{"ip", "10.2.0." + std::to_string(h % 250 + 1)}, {"username", "admin"}};
        level.timeout = std::chrono::seconds(30);
        host.fence = {level};
        host.monitoring = cluster.monitoring;
        cluster.hosts.push_back(host);
    }
    for (int s = 0; s < kServices; ++s) {
        policy::ServicePolicy service;
        service.name = serviceName(s);
        service.domain = {policy::DomainRef::Kind::Name, service.name};
        service.telephony = policy::TelephonyMode::Sr140;
        service.priority = 1 + (s * 37) % 100;
        if (s % 10 == 0) service.preferredSites = {"site" + std::to_string(s % 4)};
        if (s % 5 == 0) service.preferredHosts = {hostName((s * 13) % kHosts)};
        if (s % 2 == 0) service.antiAffinity = {serviceName(s + 1)};
        cluster.services.push_back(service);
    }
    return cluster;
}

// Every host healthy and every service running where it belongs (service s on host s / kPerHost),
// remembered as ok there for an hour.
EngineInput steadyInput(const policy::Policy& cluster, WallTime now) {
    EngineInput input;
    input.policy = &cluster;
    input.now = now;
    for (int h = 0; h < kHosts; ++h) {
        HostObservation host;
        host.name = hostName(h);
        host.health = HostHealthState::Ok;
        host.roundsInState = 3600;
        host.libvirt = hv::Reachability::Reachable;
        std::uint64_t used = 0;
        for (int s = h * kPerHost; s < (h + 1) * kPerHost; ++s) used += serviceMemoryMiB(s);
        host.freeMemoryMiB = kHostMemoryMiB - used;
        host.cpus = kHostCpus;
        input.hosts.emplace(host.name, host);
    }
    for (int s = 0; s < kServices; ++s) {
        const std::string where = hostName(s / kPerHost);
        ServiceObservation seen;
        seen.copies = {DomainCopy{where, hv::DomainState::Running}};
        seen.memoryMiB = serviceMemoryMiB(s);
        seen.vcpus = serviceVcpus(s);
        input.services.emplace(serviceName(s), seen);
        ServiceMemory memory;
        memory.state = ServiceState::Ok;
        memory.host = where;
        memory.since = now - std::chrono::hours(1);
        memory.reason = "running on " + where;
        input.memory.emplace(serviceName(s), memory);
    }
    return input;
}

// Host 0 failed: libvirt unreachable, both signals silent for the failover count, its services'
// copies gone from the observations (nobody can list them).
EngineInput failedInput(const EngineInput& steady, FenceStatus fence) {
    EngineInput input = steady;
    HostObservation& failed = input.hosts.at(hostName(0));
    failed.health = HostHealthState::Failed;
    failed.roundsInState = 1;
    failed.libvirt = hv::Reachability::Unreachable;
    failed.fence = fence;
    for (int s = 0; s < kPerHost; ++s) input.services.at(serviceName(s)).copies.clear();
    return input;
}

// Every host with two boards on its site's trunk group; the first service of each host in board mode.
policy::Policy withBoards(policy::Policy cluster) {
    cluster.boardModels = {{"tr1034", 0x12e4, 0x4d01}};
    for (auto& host : cluster.hosts)
        host.boards = {{"0000:03:00.0", "tr1034", "pri-" + host.site}, {"0000:04:00.0", "tr1034", "pri-" + host.site}};
    for (int s = 0; s < kServices; s += kPerHost) {
        policy::ServicePolicy& service = cluster.services[static_cast<std::size_t>(s)];
        service.telephony = policy::TelephonyMode::Board;
        service.trunkGroup = "pri-site" + std::to_string((s / kPerHost) % 4);
    }
    return cluster;
}

EngineInput boardInput(const EngineInput& steady, const policy::Policy& cluster) {
    EngineInput input = steady;
    input.policy = &cluster;
    for (auto& [name, host] : input.hosts)
        host.boards = std::vector<ObservedBoard>{{"0000:03:00.0", 0x12e4, 0x4d01, "vfio-pci"},
                                                 {"0000:04:00.0", 0x12e4, 0x4d01, "brooktrout"}};
    for (int s = 0; s < kServices; s += kPerHost) {
        input.services.at(serviceName(s)).pciHostdevs = {"0000:03:00.0"};
        input.boards.push_back({hostName(s / kPerHost), "0000:03:00.0", serviceName(s), steady.now - std::chrono::hours(1)});
    }
    return input;
}

struct Figure {
    double medianMs = 0;
    double p99Ms = 0;
    double maxMs = 0;
    Decision decision{};
};

Figure measure(int runs, const EngineInput& input) {
    std::vector<double> times;
    Figure figure;
    for (int r = 0; r < runs; ++r) {
        const auto start = Clock::now();
        figure.decision = decide(input);
        times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    figure.medianMs = times[times.size() / 2];
    // The nearest-rank 99th percentile: with fewer than 100 runs, that is the slowest.
    const auto rank = static_cast<std::size_t>((times.size() * 99 + 99) / 100);
    figure.p99Ms = times[std::max<std::size_t>(rank, 1) - 1];
    figure.maxMs = times.back();
    return figure;
}

void print(const char* label, int runs, const Figure& figure) {
    std::size_t starts = 0, fences = 0;
    for (const auto& action : figure.decision.actions) {
        if (action.kind == ActionKind::Start) ++starts;
        if (action.kind == ActionKind::Fence) ++fences;
    }
    std::printf("decide() %-9s n=%-4d median %7.2f  p99 %7.2f  max %7.2f ms   (%zu actions: %zu start, %zu fence; "
                "%zu log lines)\n",
                label, runs, figure.medianMs, figure.p99Ms, figure.maxMs, figure.decision.actions.size(), starts,
                fences, figure.decision.log.size());
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    const std::string only = argc > 2 ? argv[2] : "";
    const auto timed = [&](const char* variant) { return only.empty() || only == variant; };
    const policy::Policy cluster = makePolicy();
    const WallTime now = std::chrono::system_clock::now();

    const EngineInput steady = steadyInput(cluster, now);
    EngineInput unfenced = failedInput(steady, FenceStatus::None);
    EngineInput fenced = failedInput(steady, FenceStatus::Confirmed);

    std::printf("%d hosts, %d services (%d per host), host %s failed\n", kHosts, kServices, kPerHost,
                hostName(0).c_str());
    if (timed("steady")) print("steady", runs, measure(runs, steady));
    const Figure asked = measure(timed("unfenced") ? runs : 1, unfenced);
    if (timed("unfenced")) print("unfenced", runs, asked);
    // The runtime merges each decision's changed memories into what it feeds the next one (3 s
    // later: the fence agent's time).
    for (const auto& [name, memory] : asked.decision.memory) fenced.memory[name] = memory;
    fenced.now = now + std::chrono::seconds(3);
    if (timed("fenced")) {
        const Figure placed = measure(runs, fenced);
        print("fenced", runs, placed);
        std::string starts;
        for (const auto& action : placed.decision.actions)
            if (action.kind == ActionKind::Start) starts += " " + action.service + "->" + action.host;
        std::printf("  fenced decision starts:%s\n", starts.c_str());
    }
    if (timed("drain")) {
        EngineInput drain = steady;
        drain.hosts.at(hostName(1)).maintenance = true;
        const Figure moved = measure(runs, drain);
        print("drain", runs, moved);
        std::size_t migrations = 0;
        for (const auto& action : moved.decision.actions) migrations += action.kind == ActionKind::LiveMigrate;
        std::printf("  drain decision: %zu live migrations\n", migrations);
    }
    const policy::Policy boardCluster = withBoards(cluster);
    const EngineInput boardSteady = boardInput(steady, boardCluster);
    if (timed("boards-steady")) print("boards-steady", runs, measure(runs, boardSteady));
    if (timed("boards-fenced")) {
        EngineInput boardFenced = boardInput(fenced, boardCluster);
        const Figure placed = measure(runs, boardFenced);
        print("boards-fenced", runs, placed);
        for (const auto& action : placed.decision.actions)
            if (!action.board.empty())
                std::printf("  boards-fenced: %s %s -> %s board %s\n", toString(action.kind), action.service.c_str(),
                            action.host.c_str(), action.board.c_str());
    }
    return 0;
}
