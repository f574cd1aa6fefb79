#pragma once
// What only the guest can tell: the Faxover guest agent's heartbeat and the fax service's own
// health. A guest-health probe (ports/GuestHealthProbe.h) reads it; the engine receives it as
// ServiceObservation::guest and reads its telephony (docs/boards.md). The engine does not act on
// the rest yet: what a dead fax service on a live host should trigger is the faxguest issue's decision.
#include <string>

namespace faxover::orchestrator::engine {

struct GuestHealth {
    bool agentAnswered = false;  // a heartbeat arrived within the monitoring timeout
    bool faxServiceUp = false;   // the agent reports the fax service healthy
    std::string detail{};        // the agent's words, for the log
    // The telephony stack the guest runs: "sr140", "board" or "" when it does not say. Checked
    // against the domain XML; a disagreement is an alert (docs/boards.md).
    std::string telephony{};
    bool operator==(const GuestHealth&) const = default;
};

}  // namespace faxover::orchestrator::engine
