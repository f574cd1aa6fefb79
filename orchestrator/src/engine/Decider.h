#pragma once
// The working state of one decide() call, shared by the files that make up the engine:
// Decider.cpp (outcomes and the per-service rules), Commands.cpp (admin verbs),
// Recovery.cpp (fencing prerequisites and placement), Licensing.cpp (the seat ledger) and
// Boards.cpp (fax board reservations).
// Internal to the engine.
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/Placement.h"

#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::orchestrator::engine {

class Decider {
public:
    explicit Decider(const EngineInput& input);
    Decision run();

private:
    // ---- Decider.cpp
    void applyFinished(const FinishedAction& finished);
    void evaluate(const policy::ServicePolicy& service);
    void evaluateRunning(const policy::ServicePolicy& service, const std::string& host);
    void resetCountersWhenStable(const policy::ServicePolicy& service);

    // ---- Commands.cpp
    CommandVerdict applyCommand(const AdminCommand& command);
    CommandVerdict migrateCommand(const policy::ServicePolicy& service, const AdminCommand& command);
    CommandVerdict failoverCommand(const policy::ServicePolicy& service, const AdminCommand& command);
    CommandVerdict failbackCommand(const policy::ServicePolicy& service, const AdminCommand& command);

    // ---- Recovery.cpp
    void evaluateNotRunning(const policy::ServicePolicy& service);
    void placeWaitingServices();
    void restartInPlace(const policy::ServicePolicy& service, const std::string& host, const std::string& board);
    // Where the service could go now (and the board it would get there), never `exclude`; an empty
    // host and the reason when nowhere. `only`, when set, restricts the choice to that host.
    Placement pickTarget(const policy::ServicePolicy& service, const std::string& exclude, std::string& why,
                         const std::string& only = "");
    // A host nearer the front of the service's preferences than `current`, healthy and with room.
    Placement betterPreferredHost(const policy::ServicePolicy& service, const std::string& current);
    ServiceToPlace placementRequest(const policy::ServicePolicy& service, const std::string& exclude);
    // The placement view of the whole cluster, built once per decision and kept up to date as
    // actions are decided (act()), so placing many services costs one pass over all services.
    const ClusterView& clusterView();
    ClusterView buildClusterView() const;
    void reserveInView(const Action& action);
    bool eligible(const HostObservation& host, std::string& why) const;
    // Whether `host` has said that `service` does not run there (invariant 2).
    bool answeredOff(const std::string& service, const HostObservation& host) const;
    bool canRestartIn(const HostObservation& host) const;

    // ---- Licensing.cpp (docs/licensing.md)
    // The licence whose seat `service` needs to run: active role and a licence; nullptr otherwise.
    const policy::Licence* seatLicence(const policy::ServicePolicy& service) const;
    SeatHolding* holding(const std::string& service, const std::string& onBehalfOf = "");
    int seatsHeld(const std::string& licence) const;
    std::string holdersOf(const std::string& licence) const;  // "fax-a on h1, fax-dr (for fax-b) on h3"
    // Before a start on `host`: keeps, moves or grants the service's seat, or refuses the start
    // (state and audit line) and returns false.
    bool claimSeat(const policy::ServicePolicy& service, const std::string& host, const std::string& why);
    // Whether a seat could be had for a start, counting `promised` seats handed out in this pass.
    bool seatAvailable(const policy::ServicePolicy& service, std::map<std::string, int>& promised);
    void refuseSeat(const policy::ServicePolicy& service, const std::string& why);
    // While it runs on `host`: its seat is there and its licence applied; acts when not. False
    // while that is not so (the service is not declared ok).
    bool licensedOn(const policy::ServicePolicy& service, const std::string& host);
    void applyPromotions(const policy::ServicePolicy& standby, const std::string& host);
    // Suspended, stopped or in error, the engine leaves it alone; but a copy that runs still
    // counts against its licence.
    void keepSeatWhileHeld(const policy::ServicePolicy& service);
    // After a start or cold move succeeded: ok, or still recovering while its licence is applied.
    void startedOn(const std::string& service, const std::string& host, const std::string& how);
    // The standby holding `primary`'s seat, or nullptr.
    const SeatHolding* substitutedBy(const std::string& primary) const;
    // A down primary no host can take: a standby that stands in for it takes its seat.
    bool promoteStandby(const policy::ServicePolicy& primary, std::string& whyNot);
    // Gives back seats whose holder no longer needs them (end of a decision).
    void settleLedger();
    void revokeSeat(const SeatHolding& seat, const std::string& why, const std::string& actor = "daemon");
    void moveSeats(const std::string& service, const std::string& host, bool reapply, const std::string& why);
    void ledgerChange(LedgerChange change);
    void finishLicenceStep(const FinishedAction& finished);
    CommandVerdict demoteCommand(const policy::ServicePolicy& service, const AdminCommand& command);

    // ---- Boards.cpp (docs/boards.md, invariant 4)
    // The service's telephony, from its definition on the host it runs or last ran on (cached).
    const Telephony& telephonyOf(const policy::ServicePolicy& service) const;
    void alertOnTelephonyDisagreement(const policy::ServicePolicy& service);
    // What a board-mode service needs on a target host; nullopt for SR140.
    std::optional<BoardNeed> boardNeed(const policy::ServicePolicy& service) const;
    std::vector<PlacementBoard> placementBoards(const HostObservation& host, const policy::HostPolicy& policy) const;
    BoardReservation* reservation(const std::string& host, const std::string& board);
    // Reserves `board` on `host` for the service; the service's other reservations are released.
    void reserveBoard(const std::string& service, const std::string& host, const std::string& board, const std::string& why);
    void releaseBoard(BoardReservation& reservation, const std::string& why);
    // True when a VM no service protects passes `board` through on `host`.
    bool usedByOtherVm(const std::string& host, const std::string& board) const;
    // The board a restart on `host` gets ("" for SR140), or nullopt when it cannot have one there.
    std::optional<std::string> boardForRestart(const policy::ServicePolicy& service, const std::string& host);
    // After a board move: the service's telco hook, beside it (not an act(): it does not hold the service).
    void rerouteTelco(const Action& move, const std::string& fromHost);
    void finishBoardAction(const FinishedAction& finished);
    // Start of a decision: reservations follow what runs.
    void adoptRunningBoards();
    // End of a decision: boards nobody holds go back to their host driver.
    void settleBoards();
    // True while the released board's service may still run with it on its host.
    bool mayStillUse(const BoardReservation& released) const;
    void boardLog(const std::string& host, const std::string& board, const std::string& message, bool alert = false);

    // ---- shared helpers (Decider.cpp)
    // A service's memory: current() reads (this decision's version if it wrote one, else the
    // input's), memoryOf() writes (copying it into the decision first). The decision carries only
    // what it wrote, so a steady cluster of 10,000 services copies nothing.
    const ServiceMemory& current(const std::string& service) const;
    ServiceMemory& memoryOf(const std::string& service);
    // The policy's entries by name (nullptr when absent): Policy::find* are linear scans.
    const policy::ServicePolicy* servicePolicy(const std::string& name) const;
    const policy::HostPolicy* hostPolicy(const std::string& name) const;
    const HostObservation* host(const std::string& name) const;
    const ServiceObservation& observed(const std::string& service) const;
    const std::vector<std::string>& activeCopies(const std::string& service) const;
    bool busy(const std::string& service) const;
    void setState(const std::string& service, ServiceState state, const std::string& reason, bool alert = false);
    void act(Action action);
    // Fences `hostName` once, on behalf of `service` (the first that needs it).
    void requestFence(const std::string& hostName, const std::string& service);
    // Live migration if the policy and the domain allow it, else a cold move.
    void move(const policy::ServicePolicy& service, const std::string& from, const Placement& to,
              const std::string& reason, const std::string& actor);
    std::string liveMigrationBlocker(const policy::ServicePolicy& service) const;

    const EngineInput& in_;
    const policy::Policy& policy_;
    Decision out_;
    std::set<std::string> busy_;          // services with an action in flight or started now
    std::set<std::string> fenceAsked_;    // hosts whose fencing this decision requested
    struct PlacementRequest {
        std::string service{};
        std::string exclude{};  // never this host (where it crashed too often)
        std::string reason{};
        std::string restartOn{};  // a restart in place on this host: no placement, but a seat all the same
    };
    std::vector<PlacementRequest> toPlace_;  // services to start: restarts in place, and on a host placement picks
    std::vector<PlacementRequest> awaitingFence_;  // board services whose host is being fenced now
    std::set<std::string> commanded_;     // services an admin command moved in this decision
    // Indexes built once per decision: a decision touches each of 10,000 services several times.
    // Keys view strings owned by the input and the policy, which outlive the decision.
    // Everything the decision knows about one service, found with one lookup.
    struct ServiceIndex {
        const policy::ServicePolicy* policy = nullptr;    // nullptr: not in the policy
        const ServiceObservation* observed = nullptr;     // nullptr: nothing seen
        const ServiceMemory* remembered = nullptr;        // the input's memory; nullptr: never seen
        ServiceMemory* written = nullptr;                 // this decision's copy in out_.memory
        std::vector<std::string> activeHosts{};           // hosts listing it active, sorted
    };
    const ServiceIndex* indexOf(std::string_view service) const;
    std::unordered_map<std::string_view, ServiceIndex> services_;
    std::unordered_map<std::string_view, const policy::HostPolicy*> hostPolicies_;
    std::unordered_map<std::string_view, const HostObservation*> hosts_;
    std::optional<ClusterView> view_;
    Ledger seats_;                         // the input's ledger with this decision's changes
    BoardLedger boards_;                   // the input's board reservations with this decision's changes
    mutable std::unordered_map<std::string_view, Telephony> telephony_;  // per service, this decision's
    // Services in board mode, or whose definition or guest says something about telephony, or that
    // were alerted on: the only ones Boards.cpp looks at (in the policy's order).
    std::vector<const policy::ServicePolicy*> telephonySubjects_;
    std::set<std::string> downForSure_;    // services no host can be running (invariant 2 checked)
    std::unordered_map<std::string, std::size_t> viewSlot_;  // host -> index in view_->hosts
};

}  // namespace faxover::orchestrator::engine
