#pragma once
// The licence ledger (issue #4, docs/invariants.md §1): who holds each seat of each licence. The store keeps
// it (the single source of truth); the engine reads it as input and returns the changes it
// decided, which the runtime commits in the same transaction as the decision's intents.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faxover::orchestrator::engine {

using WallTime = std::chrono::system_clock::time_point;

// One seat of one licence, held by one service instance on one host.
struct SeatHolding {
    std::string licence{};
    std::string service{};     // the instance that holds it (a promoted standby holds its primaries' seats)
    std::string onBehalfOf{};  // a standby stands in for this primary; "" when the seat is its own
    std::string host{};        // where the holder runs or was last started
    WallTime since{};          // when it was granted or last moved
    bool applied = false;      // the licence's apply step succeeded on `host` (true when it has none)
    bool operator==(const SeatHolding&) const = default;
};

using Ledger = std::vector<SeatHolding>;  // every seat held, in grant order

enum class LedgerEvent {
    Grant,        // a free seat is given to a service (or to a standby for a primary)
    Transfer,     // a held seat follows its service to another host (the old one is off or fenced)
    Revoke,       // a seat is given back: the service is off for good, stopped or demoted
    Refuse,       // a start was refused: no free seat, or the request would make a second copy
    Applied,      // the licence's apply step succeeded on the holder's host
    ApplyFailed,  // it failed: the service is not declared ok
    RevokeRun,    // the licence's revoke step ran after a revoke (its result in `reason`)
};
const char* toString(LedgerEvent event);  // "grant", "transfer", "revoke", "refuse", "applied", "apply-failed", "revoke-run"
std::optional<LedgerEvent> ledgerEventNamed(std::string_view name);

// One change to the ledger and its audit line. Refusals change nothing but are audited.
struct LedgerChange {
    LedgerEvent event = LedgerEvent::Grant;
    std::string licence{};
    std::string service{};
    std::string onBehalfOf{};
    std::string host{};      // the holder's host after the change (Revoke: the one it had)
    std::string fromHost{};  // Transfer: the host it left
    std::string reason{};
    std::string actor = "daemon";
    bool operator==(const LedgerChange&) const = default;
};

}  // namespace faxover::orchestrator::engine
