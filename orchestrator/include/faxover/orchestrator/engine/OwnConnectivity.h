#pragma once
// Is the orchestrator itself still on the network? When most hosts go silent at once, either they
// all failed or the orchestrator was cut off; only the second is likely, and fencing on it would
// kill every VM of a healthy cluster. Pure: the runtime asks it after each probe round (to hold
// host failures and fences), decide() asks it before fencing. docs/engine.md, "Own connectivity".
#include "faxover/orchestrator/engine/Decision.h"

#include <map>
#include <string>

namespace faxover::orchestrator::engine {

struct OwnConnectivity {
    bool confirmed = true;
    int hostsSilent = 0;  // voting hosts that missed the last round
    int hostsVoting = 0;  // hosts whose silence would mean something (see assessOwnConnectivity)
    bool witnessNamed = false;
    bool witnessAnswered = false;

    // "orchestrator isolated: 3 of 3 hosts and the witness silent" (or "... silent, no witness named")
    std::string describe() const;
    bool operator==(const OwnConnectivity&) const = default;
};

// Confirmed when a strict majority of the voting hosts answered the last round (missedRounds == 0),
// or when the policy's witness answered. A host votes unless its silence is explained: it is
// fenced (confirmed off), in maintenance, or in a suspend-monitoring window. With no voting host
// only the witness confirms.
OwnConnectivity assessOwnConnectivity(const policy::Policy& policy, const std::map<std::string, HostObservation>& hosts,
                                      bool witnessAnswered);

}  // namespace faxover::orchestrator::engine
