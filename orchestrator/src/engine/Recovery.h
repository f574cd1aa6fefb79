#pragma once
// Recovery of services that run nowhere (docs/invariants.md §2): who might still run one, the
// fences that must come first, restarts in place and relocations, and the placement of all the
// services that must start, by priority, once every service has been looked at. Internal to the engine.
#include "BoardBook.h"
#include "ClusterPlacement.h"
#include "DecisionContext.h"
#include "SeatBook.h"

#include <set>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

class Recovery {
public:
    Recovery(DecisionContext& context, SeatBook& seats, BoardBook& boards, ClusterPlacement& placement);

    // A service no reachable host runs: fence first, wait, or note it for placement.
    void evaluateNotRunning(const policy::ServicePolicy& service);
    // Starts what evaluateNotRunning() noted: seats first, then hosts, highest priority first.
    void placeWaitingServices();
    // Services no host can be running (docs/invariants.md §2 checked) and that are not starting now: their
    // seats go back (SeatBook::settle).
    const std::set<std::string>& downForSure() const { return downForSure_; }
    // A service an admin stopped (engine.md, rule 2): whether every host that might run it has
    // answered or is fenced, so that it is down for sure (its seat goes back); otherwise those
    // hosts, in `outOfSight`. Never fences: nothing will start it.
    bool confirmDown(const policy::ServicePolicy& service, std::string& outOfSight);
    // An admin's `vm start` or `enable` in this decision: evaluateNotRunning() starts it as a start,
    // not a restart (it counts against no limit), in place where it stopped when that host can take it.
    void startRequested(const std::string& service) { startsRequested_.insert(service); }

private:
    // The hosts it ran on or was sent to; every host when neither is known.
    std::vector<std::string> hostsThatMightRun(const ServiceMemory& memory) const;
    // `why`: "stopped on h1; restart in place" or "start on h1 failed; restart in place", counted
    // against max_restart; or an admin's start (`counted` false).
    void restartInPlace(const policy::ServicePolicy& service, const std::string& host, const std::string& board,
                        const std::string& why, bool counted);
    // A service whose host announced a planned shutdown or reboot (docs/engine.md, "Planned host
    // shutdown"): frozen, relocated on the host's own report that its QEMU ended, or held from any
    // fence within the grace. False: the ordinary rules apply.
    bool followPlannedShutdown(const policy::ServicePolicy& service, ServiceMemory& memory);
    // A service never seen running: placed on a host that holds its definition when one does.
    void placeNeverRun(const policy::ServicePolicy& service);
    // Fences `hostName` once, on behalf of `service` (the first that needs it).
    void requestFence(const std::string& hostName, const std::string& service);
    // Whether `host` has said that `service` does not run there.
    bool answeredOff(const std::string& service, const HostObservation& host) const;
    bool canRestartIn(const HostObservation& host) const;

    DecisionContext& context_;
    SeatBook& seats_;
    BoardBook& boards_;
    ClusterPlacement& placement_;
    struct PlacementRequest {
        std::string service{};
        std::string exclude{};  // never this host (where it crashed too often)
        std::string reason{};
        std::string restartOn{};  // a restart in place on this host: no placement, but a seat all the same
        std::vector<std::string> alsoExcluded{};  // never these either (hosts without its definition)
        bool counted = true;  // a restart in place counts against max_restart; an admin's start does not
    };
    std::vector<PlacementRequest> toPlace_;        // restarts in place, and starts on a host placement picks
    std::vector<PlacementRequest> awaitingFence_;  // board services whose host is being fenced now
    std::set<std::string> startsRequested_;        // services an admin started in this decision
    std::set<std::string> fenceAsked_;             // hosts whose fencing this decision requested
    std::set<std::string> downForSure_;
};

}  // namespace faxover::orchestrator::engine
