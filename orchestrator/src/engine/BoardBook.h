#pragma once
// The board book: fax board reservations during one decision (docs/boards.md,
// docs/invariants.md §4), and each service's telephony as its definition and guest tell it. It
// owns the reservations; placement reads the boards it offers, recovery and moves reserve the
// board a start gets. Internal to the engine.
#include "DecisionContext.h"
#include "faxover/orchestrator/engine/Placement.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace faxover::orchestrator::engine {

class BoardBook {
public:
    BoardBook(DecisionContext& context, BoardLedger boards);

    // The service's telephony, from its definition on the host it runs or last ran on (cached).
    const Telephony& telephonyOf(const policy::ServicePolicy& service) const;
    // What a board-mode service needs on a target host; nullopt for SR140.
    std::optional<BoardNeed> boardNeed(const policy::ServicePolicy& service) const;
    // The boards of `host` as placement sees them: model, trunk group, holder or why unavailable.
    std::vector<PlacementBoard> placementBoards(const HostObservation& host, const policy::HostPolicy& policy) const;

    // Start of a decision: reservations follow what runs.
    void adoptRunningBoards();
    // One alert per new disagreement between a service's policy, definition and guest.
    void alertOnTelephonyDisagreements();
    // Reserves `board` on `host` for the service; the service's other reservations are released.
    void reserveBoard(const std::string& service, const std::string& host, const std::string& board,
                      const std::string& why);
    // The board a restart on `host` gets ("" for SR140), or nullopt when it cannot have one there.
    std::optional<std::string> boardForRestart(const policy::ServicePolicy& service, const std::string& host);
    // After a board move: the service's telco hook, beside it (it does not occupy the service).
    void rerouteTelco(const Action& move, const std::string& fromHost);
    // A board release or telco hook has finished.
    void finishAction(const FinishedAction& finished);
    // End of a decision: boards nobody holds go back to their host driver.
    void settle();
    const BoardLedger& reservations() const { return boards_; }

private:
    void alertOnTelephonyDisagreement(const policy::ServicePolicy& service);
    BoardReservation* reservation(const std::string& host, const std::string& board);
    void releaseBoard(BoardReservation& reservation, const std::string& why);
    // True when a VM no service protects passes `board` through on `host`.
    bool usedByOtherVm(const std::string& host, const std::string& board) const;
    // True while the released board's service may still run with it on its host.
    bool mayStillUse(const BoardReservation& released) const;
    void boardLog(const std::string& host, const std::string& board, const std::string& message, bool alert = false);

    DecisionContext& context_;
    BoardLedger boards_;  // the input's board reservations with this decision's changes
    mutable std::unordered_map<std::string_view, Telephony> telephony_;  // per service, this decision's
    // Services in board mode, or whose definition or guest says something about telephony, or that
    // were alerted on: the only ones the board book looks at (in the policy's order).
    std::vector<const policy::ServicePolicy*> telephonySubjects_;
};

}  // namespace faxover::orchestrator::engine
