// Where services can go: the cluster as placement sees it during one decision (room, boards and
// services per host), and the choice of a target host for one service. Whole plans for many
// services at once are planPlacement()'s (Placement.cpp); recovery asks for them through plan().
#include "ClusterPlacement.h"

#include <algorithm>
#include <unordered_map>

namespace faxover::orchestrator::engine {

ClusterPlacement::ClusterPlacement(DecisionContext& context, const BoardBook& boards)
    : context_(context), boards_(boards) {}

PlacementPlan ClusterPlacement::plan(const std::vector<ServiceToPlace>& requests) {
    return planPlacement(context_.policy(), clusterView(), requests);
}

bool ClusterPlacement::eligible(const HostObservation& candidate, std::string& why) const {
    if (candidate.health != HostHealthState::Ok) why = std::string("host ") + toString(candidate.health);
    else if (candidate.libvirt != hv::Reachability::Reachable) why = "libvirt unreachable";
    else if (candidate.maintenance) why = "in maintenance";
    else if (candidate.planned) why = std::string("going down (planned ") + toString(candidate.planned->kind) + ")";
    else if (candidate.fence != FenceStatus::None) why = "being fenced";
    else if (!candidate.freeMemoryMiB || !candidate.cpus) why = "inventory not read yet";
    else return true;
    return false;
}

const ClusterView& ClusterPlacement::clusterView() {
    if (!view_) {
        view_ = buildClusterView();
        for (std::size_t i = 0; i < view_->hosts.size(); ++i) viewSlot_.emplace(view_->hosts[i].name, i);
    }
    // The starts and moves decided since the last look (all of them on the first) take their room.
    const std::vector<Action>& decided = context_.actions();
    for (; actionsSeen_ < decided.size(); ++actionsSeen_) reserveInView(decided[actionsSeen_]);
    return *view_;
}

void ClusterPlacement::reserveInView(const Action& action) {
    if (!view_ || !movesVm(action.kind)) return;
    auto slot = viewSlot_.find(action.host);
    if (slot == viewSlot_.end()) return;
    PlacementHost& host = view_->hosts[slot->second];
    for (auto& board : host.boards)
        if (board.pciAddress == action.board) board.holder = action.service;
    const ServiceObservation& seen = context_.observed(action.service);
    host.freeMemoryMiB = host.freeMemoryMiB > seen.memoryMiB ? host.freeMemoryMiB - seen.memoryMiB : 0;
    host.freeVcpus = std::max(host.freeVcpus - seen.vcpus, 0);
    host.services.push_back(action.service);
}

ClusterView ClusterPlacement::buildClusterView() const {
    // What protected services use per host: running copies, plus starts and moves under way (the
    // host's reported free memory does not show those yet). Decisions of this call are added by
    // clusterView() as they are made. One pass over the services: this runs for 10,000 of them.
    struct Usage {
        std::uint64_t runningMiB = 0, arrivingMiB = 0;
        int vcpus = 0;
        std::vector<std::string_view> services;
    };
    std::unordered_map<std::string_view, Usage> usage;
    usage.reserve(context_.policy().hosts.size());
    for (const auto& [name, index] : context_.services()) {
        if (index.policy == nullptr || index.observed == nullptr) continue;
        for (const auto& where : index.activeHosts) {
            Usage& used = usage[where];
            used.runningMiB += index.observed->memoryMiB;
            used.vcpus += index.observed->vcpus;
            used.services.push_back(name);
        }
    }
    for (const auto& action : context_.input().inFlight) {
        if (!movesVm(action.kind)) continue;
        Usage& used = usage[action.host];
        used.arrivingMiB += context_.observed(action.service).memoryMiB;
        used.vcpus += context_.observed(action.service).vcpus;
        used.services.push_back(action.service);
    }

    ClusterView view;
    view.hosts.reserve(context_.policy().hosts.size());
    for (const auto& hostPolicy : context_.policy().hosts) {
        PlacementHost slot;
        slot.name = hostPolicy.name;
        const HostObservation* seen = context_.host(hostPolicy.name);
        slot.eligible = seen != nullptr && eligible(*seen, slot.ineligibleReason);
        if (slot.eligible) {
            const Usage& used = usage[hostPolicy.name];
            const std::uint64_t reported = *seen->freeMemoryMiB;
            std::uint64_t free = reported > used.arrivingMiB ? reported - used.arrivingMiB : 0;
            if (const auto limit = hostPolicy.capacity.memoryMiB) {
                const std::uint64_t total = used.runningMiB + used.arrivingMiB;
                free = std::min(free, *limit > total ? *limit - total : 0);
            }
            slot.freeMemoryMiB = free;
            slot.freeVcpus = std::max(hostPolicy.capacity.vcpus.value_or(*seen->cpus) - used.vcpus, 0);
            slot.services.assign(used.services.begin(), used.services.end());
            slot.boards = boards_.placementBoards(*seen, hostPolicy);
        }
        view.hosts.push_back(std::move(slot));
    }
    return view;
}

ServiceToPlace ClusterPlacement::placementRequest(const policy::ServicePolicy& service,
                                                  const std::string& exclude) const {
    const auto& seen = context_.observed(service.name);
    ServiceToPlace request{service, seen.memoryMiB, seen.vcpus, {}, context_.current(service.name).triedHosts,
                           boards_.boardNeed(service)};
    if (!exclude.empty()) request.excludedHosts.push_back(exclude);
    return request;
}

Placement ClusterPlacement::pickTarget(const policy::ServicePolicy& service, const std::string& exclude,
                                       std::string& why, const std::string& only) {
    // The service may still be listed on its own host in the view: harmless, since placement never
    // counts a service as conflicting with itself and that host is excluded. So no copy of the
    // whole view, only a one-host view when the choice is restricted.
    const ClusterView& whole = clusterView();
    ClusterView restricted;
    if (!only.empty())
        if (auto slot = viewSlot_.find(only); slot != viewSlot_.end())
            restricted.hosts.push_back(whole.hosts[slot->second]);
    const PlacementPlan plan =
        planPlacement(context_.policy(), only.empty() ? whole : restricted, {placementRequest(service, exclude)});
    if (const Placement* placement = plan.placementOf(service.name)) return *placement;
    why = plan.unplaced.empty() ? "no host" : plan.unplaced.front().explain();
    return {};
}

Placement ClusterPlacement::betterPreferredHost(const policy::ServicePolicy& service, const std::string& current) {
    // Rank as placement does: preferred hosts in order, then hosts of preferred sites in order.
    auto rank = [&](const std::string& name) -> std::pair<int, std::size_t> {
        const auto& hosts = service.preferredHosts;
        if (auto it = std::find(hosts.begin(), hosts.end(), name); it != hosts.end())
            return {0, static_cast<std::size_t>(it - hosts.begin())};
        const auto& sites = service.preferredSites;
        if (auto it = std::find(sites.begin(), sites.end(), context_.hostPolicy(name)->site); it != sites.end())
            return {1, static_cast<std::size_t>(it - sites.begin())};
        return {2, 0};
    };
    const auto currentRank = rank(current);
    std::vector<std::string> better;
    for (const auto& hostPolicy : context_.policy().hosts)
        if (rank(hostPolicy.name) < currentRank) better.push_back(hostPolicy.name);
    std::sort(better.begin(), better.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
    for (const auto& candidate : better) {
        std::string why;
        const Placement target = pickTarget(service, current, why, candidate);
        if (!target.host.empty()) return target;
    }
    return {};
}

}  // namespace faxover::orchestrator::engine
