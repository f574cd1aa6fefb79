#pragma once
// The hook for what only the guest can tell: the Faxover guest agent's heartbeat and the fax
// service's own health (faxq/hfaxd answering, modems or the SR140 stack up). The faxguest issue
// implements it over the virtio channel; until then the daemon runs without one. The Monitor asks
// it once per round for every protected domain that runs on a reachable host, and the answer
// reaches the engine as ServiceObservation::guest. The engine records it but does not act on it
// yet: what a dead fax service on a live host should trigger is the faxguest issue's decision.
#include <optional>
#include <string>

namespace faxover::orchestrator::ports {

struct GuestHealth {
    bool agentAnswered = false;  // a heartbeat arrived within the monitoring timeout
    bool faxServiceUp = false;   // the agent reports the fax service healthy
    std::string detail{};        // the agent's words, for the log
    // The telephony stack the guest runs: "sr140", "board" or "" when it does not say. Checked
    // against the domain XML; a disagreement is an alert (docs/boards.md).
    std::string telephony{};
    bool operator==(const GuestHealth&) const = default;
};

class GuestHealthProbe {
public:
    virtual ~GuestHealthProbe() = default;
    // nullopt: this probe has nothing to say about the domain (no agent channel configured).
    virtual std::optional<GuestHealth> check(const std::string& host, const std::string& domain) = 0;
};

}  // namespace faxover::orchestrator::ports
