// A service's `fax_health` (docs/policy.md): what the engine does when the guest agent says the
// fax service is down, when heartbeats stop, and how long a planned move waits for running calls.
#include "read/Scalars.h"
#include "read/Sections.h"

#include <chrono>

namespace faxover::policy::read {

namespace {

// More attempts than this of one step keep a dead fax service down longer than moving it would.
constexpr int kMostAttempts = 20;
constexpr int kMostRounds = 100;
// A pause between two attempts longer than this leaves the fax service down for longer than a host failover.
constexpr std::chrono::milliseconds kLongestDelay{30 * 60 * 1000};
// Quiesce: under 1 s no call can finish; past 1 h a maintenance drain would wait longer than any fax call lasts.
constexpr std::chrono::milliseconds kShortestQuiesce{1000};
constexpr std::chrono::milliseconds kLongestQuiesce{60 * 60 * 1000};

FaxHealthStep readStep(Reader& reader, const Field& field, FaxHealthStep step, bool withDelay) {
    MappingReader map(reader.diagnostics, field,
                      withDelay ? std::vector<std::string>{"max", "delay"} : std::vector<std::string>{"max"});
    if (!map.isMapping()) return step;
    if (auto max = map.find("max"))
        if (auto value = readInteger(reader.diagnostics, *max, 0, kMostAttempts)) step.max = static_cast<int>(*value);
    if (auto delay = map.find("delay"))
        if (auto value = readDuration(reader.diagnostics, *delay, std::chrono::milliseconds{0}, kLongestDelay))
            step.delay = *value;
    return step;
}

}  // namespace

FaxHealthPolicy readFaxHealth(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    FaxHealthPolicy fax;
    MappingReader map(diagnostics, field,
                      {"act", "down_after", "restart_service", "restart_vm", "relocate", "lost_heartbeats_after",
                       "quiesce_timeout"});
    if (!map.isMapping()) return fax;
    if (auto act = map.find("act"))
        if (auto value = readSwitch(diagnostics, *act)) fax.act = *value;
    if (auto rounds = map.find("down_after"))
        if (auto value = readInteger(diagnostics, *rounds, 1, kMostRounds)) fax.downAfter = static_cast<int>(*value);
    if (auto step = map.find("restart_service")) fax.restartService = readStep(reader, *step, fax.restartService, true);
    if (auto step = map.find("restart_vm")) fax.restartVm = readStep(reader, *step, fax.restartVm, true);
    if (auto step = map.find("relocate")) fax.relocate = readStep(reader, *step, {fax.relocate, {}}, false).max;
    if (auto rounds = map.find("lost_heartbeats_after"))
        if (auto value = readInteger(diagnostics, *rounds, 1, kMostRounds))
            fax.lostHeartbeatsAfter = static_cast<int>(*value);
    if (auto timeout = map.find("quiesce_timeout"))
        if (auto value = readDuration(diagnostics, *timeout, kShortestQuiesce, kLongestQuiesce))
            fax.quiesceTimeout = *value;
    return fax;
}

}  // namespace faxover::policy::read
