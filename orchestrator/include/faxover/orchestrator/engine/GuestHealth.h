#pragma once
// What only the guest can tell: the Faxover guest agent's heartbeat and the fax service's own
// health. A guest-health probe (ports/GuestHealthProbe.h) reads it; the engine receives it as
// ServiceObservation::guest, reads its telephony (docs/boards.md) and acts on the fax service's
// health as the service's policy says (docs/engine.md, "Fax health").
#include <cstdint>
#include <string>
#include <vector>

namespace faxover::orchestrator::engine {

// One of the agent's checks as its last heartbeat gave it ("hylafax.faxq", ok, "pid 15089").
struct GuestCheck {
    std::string name{};
    bool ok = false;
    std::string detail{};
    bool operator==(const GuestCheck&) const = default;
};

struct GuestQueues {
    std::int64_t outbound = 0;  // jobs waiting to be sent
    std::int64_t inbound = 0;   // received faxes not yet collected
    std::int64_t active = 0;    // calls in progress
    bool operator==(const GuestQueues&) const = default;
};

struct GuestHealth {
    // A heartbeat arrived within the monitoring timeout. False while the VM runs is its own state
    // ("heartbeats lost"), never read as a dead fax service.
    bool agentAnswered = false;
    bool faxServiceUp = false;   // the agent reports the fax service healthy (every check ok)
    std::string detail{};        // the agent's words, for the log: the first failing check
    // The telephony stack the guest runs: "sr140", "board" or "" when it does not say. Checked
    // against the domain XML; a disagreement is an alert (docs/boards.md).
    std::string telephony{};
    // From the last heartbeat that arrived (empty or zero when none did).
    std::vector<GuestCheck> checks{};
    GuestQueues queues{};
    bool quiesced = false;           // a quiesce is in force in the guest
    std::string agentVersion{};
    std::string product{};           // "hylafax 6.0.7"
    std::string licence{};           // licensed, unlicensed, unknown
    std::int64_t lastHeartbeatNs = 0;  // the daemon's wall clock when it arrived; 0: never
    bool operator==(const GuestHealth&) const = default;
};

}  // namespace faxover::orchestrator::engine
