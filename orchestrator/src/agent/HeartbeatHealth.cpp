#include "agent/HeartbeatHealth.h"

#include <algorithm>

namespace faxover::orchestrator::agent {

std::string telephonyOf(const faxguest::Telephony& telephony) {
    if (!telephony.boards.empty()) return "board";
    // The engine knows two stacks: a board passed through, or software telephony with no board.
    if (telephony.sr140 || telephony.softModem) return "sr140";
    return "";
}

engine::GuestHealth healthOf(const faxguest::Heartbeat& heartbeat, std::int64_t arrivedNs) {
    engine::GuestHealth health;
    health.agentAnswered = true;
    health.faxServiceUp = heartbeat.healthy;
    const auto failing = std::find_if(heartbeat.checks.begin(), heartbeat.checks.end(),
                                      [](const faxguest::CheckResult& check) { return !check.ok; });
    if (failing != heartbeat.checks.end()) health.detail = failing->name + ": " + failing->detail;
    else health.detail = heartbeat.healthy ? "healthy" : "unhealthy (no failing check named)";
    health.telephony = telephonyOf(heartbeat.telephony);
    for (const auto& check : heartbeat.checks) health.checks.push_back({check.name, check.ok, check.detail});
    health.queues = {heartbeat.queues.outbound, heartbeat.queues.inbound, heartbeat.queues.active};
    health.quiesced = heartbeat.quiesced;
    health.agentVersion = heartbeat.agentVersion;
    health.product = heartbeat.product;
    if (!heartbeat.productVersion.empty()) health.product += " " + heartbeat.productVersion;
    health.licence = heartbeat.licence.state;
    health.lastHeartbeatNs = arrivedNs;
    return health;
}

}  // namespace faxover::orchestrator::agent
