#pragma once
// The hook for what only the guest can tell (engine/GuestHealth.h): the Faxover guest agent's
// heartbeat and the fax service's own health (faxq/hfaxd answering, modems or the SR140 stack up).
// agent::GuestAgents implements it over the virtio-serial channel (docs/guest-agent.md). The Monitor asks it once per round for every protected domain that runs on a reachable
// host, and the answer reaches the engine as ServiceObservation::guest.
#include "faxover/orchestrator/engine/GuestHealth.h"

#include <optional>
#include <string>

namespace faxover::orchestrator::ports {

class GuestHealthProbe {
public:
    virtual ~GuestHealthProbe() = default;
    // nullopt: this probe has nothing to say about the domain (no agent channel configured).
    virtual std::optional<engine::GuestHealth> check(const std::string& host, const std::string& domain) = 0;
};

}  // namespace faxover::orchestrator::ports
