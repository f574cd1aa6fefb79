// Recovery of a service that runs nowhere: who might still run it (invariant 2), fencing, restart
// in place, relocation, and placement of everything that must start.
#include "Decider.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace faxover::orchestrator::engine {

namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

}  // namespace

void Decider::evaluateNotRunning(const policy::ServicePolicy& service) {
    // Its standby holds its seat: starting it too would make a second active instance. Its state
    // was set when the standby took over (Licensing.cpp).
    if (substitutedBy(service.name) != nullptr) return;
    ServiceMemory& memory = memoryOf(service.name);

    // Invariant 2: every host that might still run it must have answered "not running" or be
    // fenced. Never placed (nor remembered after a crash of the daemon): any host might.
    std::vector<std::string> suspects;
    for (const auto* name : {&memory.host, &memory.target})
        if (!name->empty() && std::find(suspects.begin(), suspects.end(), *name) == suspects.end())
            suspects.push_back(*name);
    const bool neverPlaced = suspects.empty();
    if (neverPlaced)
        for (const auto& hostPolicy : policy_.hosts) suspects.push_back(hostPolicy.name);

    std::vector<std::string> fencing, awaitingAdmin, waiting;
    for (const auto& name : suspects) {
        const HostObservation* suspect = host(name);
        if (suspect == nullptr) {
            waiting.push_back(name + " (no longer in the policy)");
        } else if (answeredOff(service.name, *suspect) || suspect->fence == FenceStatus::Confirmed) {
            continue;
        } else if (suspect->monitoringSuspended) {
            waiting.push_back(name + " (maintenance window: monitoring suspended)");
        } else if (suspect->health == HostHealthState::Failed) {
            requestFence(name, service.name);
            (suspect->fence == FenceStatus::AwaitingAdmin ? awaitingAdmin : fencing).push_back(name);
        } else {
            waiting.push_back(name);
        }
    }
    if (!awaitingAdmin.empty()) {
        setState(service.name, ServiceState::Failure,
                 "host " + joined(awaitingAdmin) + " failed; automatic fencing is not possible: confirm it is off " +
                     "with 'faxover fence confirm " + awaitingAdmin.front() + "'",
                 true);
        return;
    }
    if (!fencing.empty()) {
        setState(service.name, ServiceState::Failure,
                 "host " + joined(fencing) + " failed; fencing before restart elsewhere");
        // Its board elsewhere is held for it while the fence runs (placeWaitingServices).
        if (boardNeed(service)) awaitingFence_.push_back({service.name, memory.host, ""});
        return;
    }
    if (!waiting.empty()) {
        if (neverPlaced) {
            setState(service.name, ServiceState::Unknown,
                     "waiting for " + joined(waiting) + " to answer before starting it anywhere");
        } else {
            setState(service.name, ServiceState::Suspect,
                     "out of sight: " + joined(waiting) +
                         " unreachable but not failed; no restart elsewhere until it answers or is fenced");
        }
        return;
    }

    // Nowhere it might run: it is down for sure. Where did it stop?
    downForSure_.insert(service.name);
    const HostObservation* last = memory.host.empty() ? nullptr : host(memory.host);
    const bool stoppedOnLiveHost = last != nullptr && answeredOff(service.name, *last);
    if (!stoppedOnLiveHost) {
        const std::string why = neverPlaced ? "not running anywhere"
                                            : "host " + memory.host + " fenced";
        toPlace_.push_back({service.name, memory.host, why});
        return;
    }
    if (memory.restarts < service.maxRestart && canRestartIn(*last)) {
        // Decided with the other starts, so that seats go by priority (placeWaitingServices).
        toPlace_.push_back({service.name, "", "stopped on " + memory.host + "; restart in place", memory.host});
        return;
    }
    if (memory.relocations < service.maxRelocate) {
        ++memory.relocations;
        memory.restarts = 0;
        toPlace_.push_back({service.name, memory.host,
                            "relocation " + std::to_string(memory.relocations) + " of " +
                                std::to_string(service.maxRelocate) + " away from " + memory.host});
        return;
    }
    setState(service.name, ServiceState::Error,
             "stopped on " + memory.host + " and gave up: " + std::to_string(service.maxRestart) +
                 " restarts in place and " + std::to_string(service.maxRelocate) +
                 " relocations used; 'faxover failover' or 'resume' retries",
             true);
}

void Decider::placeWaitingServices() {
    if (toPlace_.empty()) return;
    // Seats first, highest priority first: a service that cannot have a seat takes no host.
    std::stable_sort(toPlace_.begin(), toPlace_.end(), [&](const PlacementRequest& a, const PlacementRequest& b) {
        return servicePolicy(a.service)->priority > servicePolicy(b.service)->priority;
    });
    std::map<std::string, int> promised;
    std::vector<PlacementRequest> seatless;
    std::erase_if(toPlace_, [&](const PlacementRequest& request) {
        if (seatAvailable(*servicePolicy(request.service), promised)) return false;
        seatless.push_back(request);
        return true;
    });
    for (auto& request : toPlace_) {
        if (request.restartOn.empty()) continue;
        if (const auto board = boardForRestart(*servicePolicy(request.service), request.restartOn)) {
            restartInPlace(*servicePolicy(request.service), request.restartOn, *board);
            request.service.clear();  // decided
            continue;
        }
        // Its board there is another's now, or it is not known: it starts where a board is free.
        request.reason += "; no board of its own on " + request.restartOn;
        request.restartOn.clear();
    }
    std::erase_if(toPlace_, [](const PlacementRequest& request) { return request.service.empty(); });
    std::vector<ServiceToPlace> requests;
    for (const auto& request : toPlace_) requests.push_back(placementRequest(*servicePolicy(request.service), request.exclude));
    // Boards go by priority too: a board service whose host is being fenced now takes part in the
    // plan, so that a lower-priority one does not take the board it will need in a moment. It is
    // only planned, never started, here; once its fence waits for an admin, it holds nothing.
    const bool boardsWanted = std::any_of(requests.begin(), requests.end(), [](const auto& r) { return r.board.has_value(); });
    if (boardsWanted)
        for (const auto& waiting : awaitingFence_)
            requests.push_back(placementRequest(*servicePolicy(waiting.service), waiting.exclude));
    const PlacementPlan plan = planPlacement(policy_, clusterView(), requests);
    for (const auto& request : toPlace_) {
        ServiceMemory& memory = memoryOf(request.service);
        if (const Placement* placement = plan.placementOf(request.service)) {
            const policy::ServicePolicy& service = *servicePolicy(request.service);
            claimSeat(service, placement->host, request.reason);  // available: checked above
            memory.target = placement->host;
            Action start{ActionKind::Start, request.service, placement->host, "", request.reason};
            std::string board;
            if (!placement->board.empty()) {
                start.board = placement->board;
                start.fromBoard = telephonyOf(service).boardAddress;
                reserveBoard(service.name, placement->host, placement->board, request.reason);
                board = " with board " + placement->board;
            }
            act(std::move(start));
            setState(request.service, ServiceState::Recovering,
                     request.reason + ": starting on " + placement->host + board);
            continue;
        }
        for (const auto& unplaced : plan.unplaced) {
            if (unplaced.service != request.service) continue;
            std::string whyNot;
            if (promoteStandby(*servicePolicy(request.service), whyNot)) continue;
            const bool fenced = !memory.host.empty() && host(memory.host) != nullptr &&
                                host(memory.host)->fence == FenceStatus::Confirmed;
            setState(request.service, fenced ? ServiceState::Fenced : ServiceState::Failure,
                     request.reason + "; stays down: " + unplaced.explain() + (whyNot.empty() ? "" : "; " + whyNot),
                     true);
        }
    }
    // Refused once the seats are given out, so the alert names every holder.
    for (const auto& request : seatless) refuseSeat(*servicePolicy(request.service), request.reason);
}

void Decider::restartInPlace(const policy::ServicePolicy& service, const std::string& host, const std::string& board) {
    ServiceMemory& memory = memoryOf(service.name);
    claimSeat(service, host, "restart in place on " + host);  // available: checked before
    ++memory.restarts;
    memory.target = host;
    Action start{ActionKind::Start, service.name, host, "",
                 "restart in place " + std::to_string(memory.restarts) + "/" + std::to_string(service.maxRestart)};
    if (!board.empty()) {
        reserveBoard(service.name, host, board, "restart in place on " + host);  // checked before
        start.board = board;  // the definition is pointed at it: a stale one may name another
        start.fromBoard = telephonyOf(service).boardAddress;
    }
    act(std::move(start));
    setState(service.name, ServiceState::Recovering,
             "stopped on " + host + "; restart in place " + std::to_string(memory.restarts) + " of " +
                 std::to_string(service.maxRestart));
}

bool Decider::answeredOff(const std::string& service, const HostObservation& candidate) const {
    // A listing without an active copy (this service runs nowhere we can see), or the host's own
    // libvirtd reporting this domain shut off (a lifecycle event or a listing) on a connection
    // that has not dropped since: when QEMU dies, libvirtd may be too busy reaping it to answer a
    // listing in time, but its Stopped event says what matters.
    if (candidate.libvirt == hv::Reachability::Reachable) return true;
    if (candidate.libvirt == hv::Reachability::Unreachable) return false;
    const auto& copies = observed(service).copies;
    return std::any_of(copies.begin(), copies.end(),
                       [&](const DomainCopy& copy) { return copy.host == candidate.name && !copy.active(); });
}

bool Decider::canRestartIn(const HostObservation& candidate) const {
    // Alive (a degraded host is: one signal answers) and free to take it: placement's stricter
    // eligibility is for hosts the service would move to.
    return (candidate.health == HostHealthState::Ok || candidate.health == HostHealthState::Degraded) &&
           candidate.libvirt != hv::Reachability::Unreachable && !candidate.maintenance &&
           candidate.fence == FenceStatus::None;
}

bool Decider::eligible(const HostObservation& candidate, std::string& why) const {
    if (candidate.health != HostHealthState::Ok) why = std::string("host ") + toString(candidate.health);
    else if (candidate.libvirt != hv::Reachability::Reachable) why = "libvirt unreachable";
    else if (candidate.maintenance) why = "in maintenance";
    else if (candidate.fence != FenceStatus::None) why = "being fenced";
    else if (!candidate.freeMemoryMiB || !candidate.cpus) why = "inventory not read yet";
    else return true;
    return false;
}

const ClusterView& Decider::clusterView() {
    if (!view_) {
        view_ = buildClusterView();
        for (std::size_t i = 0; i < view_->hosts.size(); ++i) viewSlot_.emplace(view_->hosts[i].name, i);
        // Decided before the view existed (fences only, or restarts in place): reserve them now.
        for (const auto& action : out_.actions) reserveInView(action);
    }
    return *view_;
}

void Decider::reserveInView(const Action& action) {
    if (!view_ || !movesVm(action.kind)) return;
    auto slot = viewSlot_.find(action.host);
    if (slot == viewSlot_.end()) return;
    PlacementHost& host = view_->hosts[slot->second];
    for (auto& board : host.boards)
        if (board.pciAddress == action.board) board.holder = action.service;
    const ServiceObservation& seen = observed(action.service);
    host.freeMemoryMiB = host.freeMemoryMiB > seen.memoryMiB ? host.freeMemoryMiB - seen.memoryMiB : 0;
    host.freeVcpus = std::max(host.freeVcpus - seen.vcpus, 0);
    host.services.push_back(action.service);
}

ClusterView Decider::buildClusterView() const {
    // What protected services use per host: running copies, plus starts and moves under way (the
    // host's reported free memory does not show those yet). Decisions of this call are added by
    // reserveInView(). One pass over the services: this runs for 10,000 of them.
    struct Usage {
        std::uint64_t runningMiB = 0, arrivingMiB = 0;
        int vcpus = 0;
        std::vector<std::string_view> services;
    };
    std::unordered_map<std::string_view, Usage> usage;
    usage.reserve(policy_.hosts.size());
    for (const auto& [name, index] : services_) {
        if (index.policy == nullptr || index.observed == nullptr) continue;
        for (const auto& where : index.activeHosts) {
            Usage& used = usage[where];
            used.runningMiB += index.observed->memoryMiB;
            used.vcpus += index.observed->vcpus;
            used.services.push_back(name);
        }
    }
    for (const auto& action : in_.inFlight) {
        if (!movesVm(action.kind)) continue;
        Usage& used = usage[action.host];
        used.arrivingMiB += observed(action.service).memoryMiB;
        used.vcpus += observed(action.service).vcpus;
        used.services.push_back(action.service);
    }

    ClusterView view;
    view.hosts.reserve(policy_.hosts.size());
    for (const auto& hostPolicy : policy_.hosts) {
        PlacementHost slot;
        slot.name = hostPolicy.name;
        const HostObservation* seen = host(hostPolicy.name);
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
            slot.boards = placementBoards(*seen, hostPolicy);
        }
        view.hosts.push_back(std::move(slot));
    }
    return view;
}

ServiceToPlace Decider::placementRequest(const policy::ServicePolicy& service, const std::string& exclude) {
    const auto& seen = observed(service.name);
    ServiceToPlace request{service, seen.memoryMiB, seen.vcpus, {}, boardNeed(service)};
    if (!exclude.empty()) request.excludedHosts.push_back(exclude);
    return request;
}

Placement Decider::pickTarget(const policy::ServicePolicy& service, const std::string& exclude, std::string& why,
                              const std::string& only) {
    // The service may still be listed on its own host in the view: harmless, since placement never
    // counts a service as conflicting with itself and that host is excluded. So no copy of the
    // whole view, only a one-host view when the choice is restricted.
    const ClusterView& whole = clusterView();
    ClusterView restricted;
    if (!only.empty())
        if (auto slot = viewSlot_.find(only); slot != viewSlot_.end()) restricted.hosts.push_back(whole.hosts[slot->second]);
    const PlacementPlan plan =
        planPlacement(policy_, only.empty() ? whole : restricted, {placementRequest(service, exclude)});
    if (const Placement* placement = plan.placementOf(service.name)) return *placement;
    why = plan.unplaced.empty() ? "no host" : plan.unplaced.front().explain();
    return {};
}

Placement Decider::betterPreferredHost(const policy::ServicePolicy& service, const std::string& current) {
    // Rank as placement does: preferred hosts in order, then hosts of preferred sites in order.
    auto rank = [&](const std::string& name) -> std::pair<int, std::size_t> {
        const auto& hosts = service.preferredHosts;
        if (auto it = std::find(hosts.begin(), hosts.end(), name); it != hosts.end())
            return {0, static_cast<std::size_t>(it - hosts.begin())};
        const auto& sites = service.preferredSites;
        if (auto it = std::find(sites.begin(), sites.end(), hostPolicy(name)->site); it != sites.end())
            return {1, static_cast<std::size_t>(it - sites.begin())};
        return {2, 0};
    };
    const auto currentRank = rank(current);
    std::vector<std::string> better;
    for (const auto& hostPolicy : policy_.hosts)
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
