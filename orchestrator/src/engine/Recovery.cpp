// Recovery of a service that runs nowhere: who might still run it (docs/invariants.md §2),
// fencing, restart in place, relocation, and placement of everything that must start.
#include "Recovery.h"

#include "faxover/policies/Duration.h"

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

// Adds `name` to the sorted set `names` unless it is there.
void remember(std::vector<std::string>& names, const std::string& name) {
    const auto at = std::lower_bound(names.begin(), names.end(), name);
    if (at == names.end() || *at != name) names.insert(at, name);
}

}  // namespace

Recovery::Recovery(DecisionContext& context, SeatBook& seats, BoardBook& boards, ClusterPlacement& placement)
    : context_(context), seats_(seats), boards_(boards), placement_(placement) {}

void Recovery::evaluateNotRunning(const policy::ServicePolicy& service) {
    // Its standby holds its seat: starting it too would make a second active instance. Its state
    // was set when the standby took over (SeatBook.cpp).
    if (seats_.substitutedBy(service.name) != nullptr) return;
    ServiceMemory& memory = context_.memoryOf(service.name);
    if (followPlannedShutdown(service, memory)) return;

    // Invariant 2: every host that might still run it must have answered "not running" or be
    // fenced.
    const bool neverPlaced = memory.host.empty() && memory.target.empty();
    std::vector<std::string> fencing, awaitingAdmin, held, waiting;
    for (const auto& name : hostsThatMightRun(memory)) {
        const HostObservation* suspect = context_.host(name);
        if (suspect == nullptr) {
            waiting.push_back(name + " (no longer in the policy)");
        } else if (answeredOff(service.name, *suspect) || suspect->fence == FenceStatus::Confirmed) {
            continue;
        } else if (suspect->monitoringSuspended) {
            waiting.push_back(name + " (maintenance window: monitoring suspended)");
        } else if (const auto plan = context_.plan(*suspect); plan && plan->holdsFence()) {
            // Never fenced mid-boot: the host said it is going down on purpose and comes back.
            waiting.push_back(name + " (" + context_.describePlan(*suspect) + ": not fenced within shutdown_grace)");
        } else if (suspect->health == HostHealthState::Failed && !context_.connectivity().confirmed) {
            // The orchestrator may be the one cut off: the host's silence proves nothing, and a
            // fence now could kill a healthy VM (docs/engine.md, "Own connectivity").
            held.push_back(name);
        } else if (suspect->health == HostHealthState::Failed) {
            requestFence(name, service.name);
            (suspect->fence == FenceStatus::AwaitingAdmin ? awaitingAdmin : fencing).push_back(name);
        } else {
            waiting.push_back(name);
        }
    }
    if (!awaitingAdmin.empty()) {
        context_.setState(service.name, ServiceState::Failure,
                          "host " + joined(awaitingAdmin) +
                              " failed; automatic fencing is not possible: confirm it is off " +
                              "with 'faxover fence confirm " + awaitingAdmin.front() + "'",
                          true);
        return;
    }
    if (!held.empty()) {
        context_.setState(service.name, ServiceState::Failure,
                          "host " + joined(held) + " failed; fence held: orchestrator isolated (" +
                              context_.connectivity().describe() + "); if it is really off, confirm with " +
                              "'faxover fence confirm " + held.front() + "'",
                          true);
        return;
    }
    if (!fencing.empty()) {
        const HostObservation* home = memory.host.empty() ? nullptr : context_.host(memory.host);
        if (home != nullptr && home->planned) {
            // Its host announced a planned shutdown but its hook never reported this VM stopped,
            // or it stayed silent past its grace: nothing says the VM is off.
            context_.setState(service.name, ServiceState::Failure,
                              "host " + joined(fencing) + " failed after its " + context_.describePlan(*home) +
                                  " without reporting this VM stopped, or silent past shutdown_grace; fencing before " +
                                  "restart elsewhere",
                              true);
        } else {
            context_.setState(service.name, ServiceState::Failure,
                              "host " + joined(fencing) + " failed; fencing before restart elsewhere");
        }
        // Its board elsewhere is held for it while the fence runs (placeWaitingServices).
        if (boards_.boardNeed(service)) awaitingFence_.push_back({service.name, memory.host, ""});
        return;
    }
    if (!waiting.empty()) {
        if (neverPlaced) {
            context_.setState(service.name, ServiceState::Unknown,
                              "waiting for " + joined(waiting) + " to answer before starting it anywhere");
        } else if (!context_.connectivity().confirmed) {
            context_.setState(service.name, ServiceState::Suspect,
                              "out of sight: " + joined(waiting) + " unreachable and the orchestrator isolated (" +
                                  context_.connectivity().describe() + "); no restart elsewhere until it answers, " +
                                  "or an admin confirms it off with 'faxover fence confirm " + waiting.front() + "'",
                              true);
        } else {
            context_.setState(service.name, ServiceState::Suspect,
                              "out of sight: " + joined(waiting) +
                                  " unreachable but not failed; no restart elsewhere until it answers or is fenced");
        }
        return;
    }

    // Nowhere it might run: it is down for sure (its seat goes back unless a start claims one,
    // also while a retry waits). Where did it stop?
    downForSure_.insert(service.name);
    const HostObservation* last = memory.host.empty() ? nullptr : context_.host(memory.host);
    const bool stoppedOnLiveHost = last != nullptr && answeredOff(service.name, *last);
    if (neverPlaced) return placeNeverRun(service);
    if (startsRequested_.contains(service.name)) {
        // An admin's vm start or enable: a start, not a restart; where it stopped if that host can take it.
        const bool inPlace = stoppedOnLiveHost && canRestartIn(*last);
        toPlace_.push_back({service.name, "", memory.reason, inPlace ? memory.host : "", {}, false});
        return;
    }
    if (!stoppedOnLiveHost) {
        // A failover: its host is fenced. `failback: on` without preferences brings it back there.
        memory.failedOverFrom = memory.host;
        toPlace_.push_back({service.name, memory.host, "host " + memory.host + " fenced"});
        return;
    }
    if (memory.state == ServiceState::Frozen) {
        // It waited for its host's planned reboot, and the host is back: the start it waited for.
        toPlace_.push_back({service.name, "", "host " + memory.host + " is back after its planned reboot",
                            canRestartIn(*last) ? memory.host : "", {}, false});
        return;
    }
    if (memory.state == ServiceState::Fenced) {
        // It waited for a host while its own was fenced, and that host is back: starting it there
        // is the failover it waited for, not a restart. Only a crash or a failed start on a host
        // that stayed up counts against max_restart.
        toPlace_.push_back({service.name, "", "host " + memory.host + " is back after its fence"});
        return;
    }
    const std::string stop =
        memory.lastStartFailed ? "start on " + memory.host + " failed" : "stopped on " + memory.host;
    if (context_.now() < memory.nextAttempt) {
        // Pacing: a fault of a few seconds must not use up the whole budget.
        context_.setState(service.name, ServiceState::Failure,
                          stop + "; next attempt " + policy::formatDuration(service.retryDelay) +
                              " after the last start (retry_delay)");
        return;
    }
    remember(memory.triedHosts, memory.host);
    if (memory.restarts < service.maxRestart && canRestartIn(*last)) {
        // Decided with the other starts, so that seats go by priority (placeWaitingServices).
        toPlace_.push_back({service.name, "", stop + "; restart in place", memory.host});
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
    context_.setState(service.name, ServiceState::Error,
                      stop + " and gave up: " + std::to_string(service.maxRestart) + " restarts in place and " +
                          std::to_string(service.maxRelocate) +
                          " relocations used; 'faxover failover' or 'resume' retries",
                      true);
}

bool Recovery::followPlannedShutdown(const policy::ServicePolicy& service, ServiceMemory& memory) {
    const HostObservation* home = memory.host.empty() ? nullptr : context_.host(memory.host);
    const auto plan = home != nullptr ? context_.plan(*home) : std::nullopt;
    if (!plan) return false;
    const std::string what = context_.describePlan(*home);
    if (plan->freezes()) {
        context_.setState(service.name, ServiceState::Frozen,
                          "host " + home->name + " " + what + ": waits for it, not failed over nor fenced; " +
                              "failed over if it is not back within shutdown_grace (" +
                              policy::formatDuration(context_.monitoringOf(home->name).shutdownGrace) +
                              ")");
        return true;
    }
    const auto& stopped = home->planned->stoppedServices;
    // Its hook's report holds within the grace only: a host silent past it may have rebooted and
    // started the VM again (autostart). Its own libvirtd's word is current.
    const bool hookReported =
        plan->withinGrace && std::binary_search(stopped.begin(), stopped.end(), service.name);
    const bool listedOff = answeredOff(service.name, *home);
    // Only the host it ran on can run it: a move under way elsewhere takes the ordinary rules.
    const bool onlyThere = memory.target.empty() || memory.target == memory.host;
    if ((hookReported || listedOff) && onlyThere) {
        // The host's own report that the domain's QEMU process ended is the evidence a fence
        // would give (docs/invariants.md, §2's exception): it restarts elsewhere without one, and
        // as a failover it counts against no limit.
        downForSure_.insert(service.name);
        memory.failedOverFrom = memory.host;
        const std::string evidence = hookReported ? "its hook reported it ended" : "its libvirtd lists it off";
        toPlace_.push_back({service.name, memory.host,
                            "host " + home->name + " " + what + ": " + evidence + "; restart elsewhere without fence"});
        return true;
    }
    return false;  // not reported stopped: the ordinary rules, which never fence it within a reboot's grace
}

void Recovery::placeNeverRun(const policy::ServicePolicy& service) {
    // Never seen running. With its definition taken from a host, only a host that holds it can
    // start it: any other would fail for want of it, and that false failure would count.
    std::vector<std::string> definedOn;
    for (const auto& copy : context_.observed(service.name).copies) remember(definedOn, copy.host);
    PlacementRequest request{service.name, "", "not running anywhere"};
    if (service.domainXml.kind == policy::DomainXmlSource::Kind::File || definedOn.empty()) {
        toPlace_.push_back(std::move(request));
        return;
    }
    for (const auto& hostPolicy : context_.policy().hosts)
        if (!std::binary_search(definedOn.begin(), definedOn.end(), hostPolicy.name))
            request.alsoExcluded.push_back(hostPolicy.name);
    toPlace_.push_back(std::move(request));
}

bool Recovery::confirmDown(const policy::ServicePolicy& service, std::string& outOfSight) {
    outOfSight.clear();
    for (const auto& name : hostsThatMightRun(context_.current(service.name))) {
        const HostObservation* suspect = context_.host(name);
        if (suspect != nullptr && (answeredOff(service.name, *suspect) || suspect->fence == FenceStatus::Confirmed))
            continue;
        outOfSight += (outOfSight.empty() ? "" : ", ") + name;
    }
    if (!outOfSight.empty()) return false;
    downForSure_.insert(service.name);
    return true;
}

std::vector<std::string> Recovery::hostsThatMightRun(const ServiceMemory& memory) const {
    std::vector<std::string> hosts;
    for (const auto* name : {&memory.host, &memory.target})
        if (!name->empty() && std::find(hosts.begin(), hosts.end(), *name) == hosts.end()) hosts.push_back(*name);
    // Never placed (nor remembered after a crash of the daemon): any host might.
    if (hosts.empty())
        for (const auto& hostPolicy : context_.policy().hosts) hosts.push_back(hostPolicy.name);
    return hosts;
}

void Recovery::placeWaitingServices() {
    if (toPlace_.empty()) return;
    // Seats first, highest priority first: a service that cannot have a seat takes no host.
    std::stable_sort(toPlace_.begin(), toPlace_.end(), [&](const PlacementRequest& a, const PlacementRequest& b) {
        return context_.servicePolicy(a.service)->priority > context_.servicePolicy(b.service)->priority;
    });
    std::map<std::string, int> promised;
    std::vector<PlacementRequest> seatless;
    std::erase_if(toPlace_, [&](const PlacementRequest& request) {
        if (seats_.seatAvailable(*context_.servicePolicy(request.service), promised)) return false;
        seatless.push_back(request);
        return true;
    });
    for (auto& request : toPlace_) {
        if (request.restartOn.empty()) continue;
        if (const auto board = boards_.boardForRestart(*context_.servicePolicy(request.service), request.restartOn)) {
            restartInPlace(*context_.servicePolicy(request.service), request.restartOn, *board, request.reason,
                           request.counted);
            request.service.clear();  // decided
            continue;
        }
        // Its board there is another's now, or it is not known: it starts where a board is free.
        request.reason += "; no board of its own on " + request.restartOn;
        request.restartOn.clear();
    }
    std::erase_if(toPlace_, [](const PlacementRequest& request) { return request.service.empty(); });
    std::vector<ServiceToPlace> requests;
    for (const auto& request : toPlace_) {
        requests.push_back(placement_.placementRequest(*context_.servicePolicy(request.service), request.exclude));
        auto& excluded = requests.back().excludedHosts;
        excluded.insert(excluded.end(), request.alsoExcluded.begin(), request.alsoExcluded.end());
    }
    // Boards go by priority too: a board service whose host is being fenced now takes part in the
    // plan, so that a lower-priority one does not take the board it will need in a moment. It is
    // only planned, never started, here; once its fence waits for an admin, it holds nothing.
    const bool boardsWanted =
        std::any_of(requests.begin(), requests.end(), [](const auto& r) { return r.board.has_value(); });
    if (boardsWanted)
        for (const auto& waiting : awaitingFence_)
            requests.push_back(placement_.placementRequest(*context_.servicePolicy(waiting.service), waiting.exclude));
    const PlacementPlan plan = placement_.plan(requests);
    for (const auto& request : toPlace_) {
        ServiceMemory& memory = context_.memoryOf(request.service);
        if (const Placement* placement = plan.placementOf(request.service)) {
            const policy::ServicePolicy& service = *context_.servicePolicy(request.service);
            seats_.claimSeat(service, placement->host, request.reason);  // available: checked above
            memory.target = placement->host;
            memory.nextAttempt = context_.now() + service.retryDelay;
            memory.lastStartFailed = false;
            Action start{ActionKind::Start, request.service, placement->host, "", request.reason};
            std::string board;
            if (!placement->board.empty()) {
                start.board = placement->board;
                start.fromBoard = boards_.telephonyOf(service).boardAddress;
                boards_.reserveBoard(service.name, placement->host, placement->board, request.reason);
                board = " with board " + placement->board;
            }
            context_.act(std::move(start));
            context_.setState(request.service, ServiceState::Recovering,
                              request.reason + ": starting on " + placement->host + board);
            continue;
        }
        for (const auto& unplaced : plan.unplaced) {
            if (unplaced.service != request.service) continue;
            std::string whyNot;
            if (seats_.promoteStandby(*context_.servicePolicy(request.service), whyNot)) continue;
            const bool fenced = !memory.host.empty() && context_.host(memory.host) != nullptr &&
                                context_.host(memory.host)->fence == FenceStatus::Confirmed;
            context_.setState(
                request.service, fenced ? ServiceState::Fenced : ServiceState::Failure,
                request.reason + "; stays down: " + unplaced.explain() + (whyNot.empty() ? "" : "; " + whyNot), true);
        }
    }
    // Refused once the seats are given out, so the alert names every holder.
    for (const auto& request : seatless) seats_.refuseSeat(*context_.servicePolicy(request.service), request.reason);
}

void Recovery::restartInPlace(const policy::ServicePolicy& service, const std::string& host, const std::string& board,
                              const std::string& why, bool counted) {
    ServiceMemory& memory = context_.memoryOf(service.name);
    const std::string what = counted ? "restart in place on " + host : "start on " + host;
    seats_.claimSeat(service, host, what);  // available: checked before
    if (counted) ++memory.restarts;
    const std::string count = std::to_string(memory.restarts) + " of " + std::to_string(service.maxRestart);
    memory.target = host;
    memory.nextAttempt = context_.now() + service.retryDelay;
    memory.lastStartFailed = false;
    Action start{ActionKind::Start, service.name, host, "",
                 counted ? "restart in place " + std::to_string(memory.restarts) + "/" +
                               std::to_string(service.maxRestart)
                         : why};
    if (!board.empty()) {
        boards_.reserveBoard(service.name, host, board, what);  // checked before
        start.board = board;  // the definition is pointed at it: a stale one may name another
        start.fromBoard = boards_.telephonyOf(service).boardAddress;
    }
    context_.act(std::move(start));
    context_.setState(service.name, ServiceState::Recovering,
                      counted ? why + " " + count : why + ": starting on " + host);
}

void Recovery::requestFence(const std::string& hostName, const std::string& service) {
    const HostObservation* target = context_.host(hostName);
    if (target == nullptr || target->fence != FenceStatus::None || !fenceAsked_.insert(hostName).second) return;
    // The fence is the host's: the service that asked does not wait for it (occupiesService()).
    context_.act(Action{ActionKind::Fence, service, hostName, "", service + " may still run there"});
}

bool Recovery::answeredOff(const std::string& service, const HostObservation& candidate) const {
    // A listing without an active copy (this service runs nowhere we can see), or the host's own
    // libvirtd reporting this domain shut off (a lifecycle event or a listing) on a connection
    // that has not dropped since: when QEMU dies, libvirtd may be too busy reaping it to answer a
    // listing in time, but its Stopped event says what matters.
    if (candidate.libvirt == hv::Reachability::Reachable) return true;
    if (candidate.libvirt == hv::Reachability::Unreachable) return false;
    const auto& copies = context_.observed(service).copies;
    return std::any_of(copies.begin(), copies.end(),
                       [&](const DomainCopy& copy) { return copy.host == candidate.name && !copy.active(); });
}

bool Recovery::canRestartIn(const HostObservation& candidate) const {
    // Alive (a degraded host is: one signal answers) and free to take it: placement's stricter
    // eligibility is for hosts the service would move to.
    return (candidate.health == HostHealthState::Ok || candidate.health == HostHealthState::Degraded) &&
           candidate.libvirt != hv::Reachability::Unreachable && !candidate.maintenance &&
           !candidate.planned && candidate.fence == FenceStatus::None;
}

}  // namespace faxover::orchestrator::engine
