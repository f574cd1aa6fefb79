#pragma once
// The seat book: the licence ledger during one decision (docs/licensing.md, docs/invariants.md §1).
// It owns the seats and the ledger changes; the rest of the engine asks it whether a service may
// start, tells it where services run and started, and lets it settle at the end. It changes
// service states only to say why a service waits for or lacks a seat. Internal to the engine.
#include "DecisionContext.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

class SeatBook {
public:
    SeatBook(DecisionContext& context, Ledger seats);

    // ---- before a start (recovery and placement)
    // Whether a seat could be had for a start, counting `promised` seats handed out in this pass.
    bool seatAvailable(const policy::ServicePolicy& service, std::map<std::string, int>& promised);
    // Before a start on `host`: keeps, moves or grants the service's seat, or refuses the start
    // (state and audit line) and returns false.
    bool claimSeat(const policy::ServicePolicy& service, const std::string& host, const std::string& why);
    void refuseSeat(const policy::ServicePolicy& service, const std::string& why);
    // The standby holding `primary`'s seat, or nullptr.
    const SeatHolding* substitutedBy(const std::string& primary) const;
    // A down primary no host can take: a standby that stands in for it takes its seat.
    bool promoteStandby(const policy::ServicePolicy& primary, std::string& whyNot);

    // ---- while it runs, and after actions
    // While it runs on `host`: its seat is there and its licence applied; acts when not. False
    // while that is not so (the service is not declared ok).
    bool licensedOn(const policy::ServicePolicy& service, const std::string& host);
    // Suspended, stopped or in error, the engine leaves it alone; but a copy that runs still
    // counts against its licence.
    void keepSeatWhileHeld(const policy::ServicePolicy& service);
    // After a start or cold move succeeded: ok, or still recovering while its licence is applied.
    void startedOn(const std::string& service, const std::string& host, const std::string& how);
    void moveSeats(const std::string& service, const std::string& host, bool reapply, const std::string& why);
    // A licence's apply or revoke step has finished.
    void finishStep(const FinishedAction& finished);
    // `faxover demote`: the standby gives back every seat it holds for a primary.
    CommandVerdict demote(const policy::ServicePolicy& service, const std::string& actor);

    // ---- end of the decision
    // Gives back seats whose holder no longer needs them: gone from the policy, or among
    // `downForSure` (recovery found it runs nowhere and is not starting).
    void settle(const std::set<std::string>& downForSure);
    const Ledger& seats() const { return seats_; }
    std::vector<LedgerChange> takeChanges() { return std::move(changes_); }

private:
    // The licence whose seat `service` needs to run: active role and a licence; nullptr otherwise.
    const policy::Licence* seatLicence(const policy::ServicePolicy& service) const;
    SeatHolding* holding(const std::string& service, const std::string& onBehalfOf = "");
    int seatsHeld(const std::string& licence) const;
    std::string holdersOf(const std::string& licence) const;  // "fax-a on h1, fax-dr (for fax-b) on h3"
    void applyPromotions(const policy::ServicePolicy& standby, const std::string& host);
    void revokeSeat(const SeatHolding& seat, const std::string& why, const std::string& actor = "daemon");
    void ledgerChange(LedgerChange change);

    DecisionContext& context_;
    Ledger seats_;                       // the input's ledger with this decision's changes
    std::vector<LedgerChange> changes_;  // in order; committed with the intents
};

}  // namespace faxover::orchestrator::engine
