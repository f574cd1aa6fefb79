// What the runtime keeps in the store, and how a restarted daemon picks it up (invariant 3).
#include "RuntimeState.h"

namespace faxover::orchestrator::runtime {

store::ServiceRecord toRecord(const engine::ServiceMemory& memory, const std::string& definitionXml) {
    store::ServiceRecord record;
    record.state = engine::toString(memory.state);
    record.host = memory.host;
    record.target = memory.target;
    record.since = memory.since;
    record.reason = memory.reason;
    record.restarts = memory.restarts;
    record.relocations = memory.relocations;
    record.definitionXml = definitionXml;
    record.triedHosts = memory.triedHosts;
    record.failedOverFrom = memory.failedOverFrom;
    record.maintenanceHost = memory.maintenanceHost;
    record.nextAttempt = memory.nextAttempt;
    record.requested = engine::toString(memory.requested);
    const engine::FaxEscalation& fax = memory.fax;
    record.fax = {fax.serviceRestarts, fax.vmRestarts, fax.relocations, fax.nextStep, fax.down, fax.exhausted,
                  fax.heartbeatsLost};
    return record;
}

engine::ServiceMemory fromRecord(const store::ServiceRecord& record) {
    engine::ServiceMemory memory;
    memory.state = engine::serviceStateNamed(record.state).value_or(engine::ServiceState::Unknown);
    memory.host = record.host;
    memory.target = record.target;
    memory.since = record.since;
    memory.reason = record.reason;
    memory.restarts = record.restarts;
    memory.relocations = record.relocations;
    memory.triedHosts = record.triedHosts;
    memory.failedOverFrom = record.failedOverFrom;
    memory.maintenanceHost = record.maintenanceHost;
    memory.nextAttempt = record.nextAttempt;
    memory.requested = engine::requestedStateNamed(record.requested).value_or(engine::RequestedState::Started);
    const store::FaxEscalationRecord& fax = record.fax;
    memory.fax = {fax.serviceRestarts, fax.vmRestarts, fax.relocations, fax.nextStep, fax.down, fax.exhausted,
                  fax.heartbeatsLost};
    return memory;
}

store::Intent toIntent(const engine::Action& action, WallTime now) {
    store::Intent intent;
    intent.service = action.service;
    intent.action = engine::toString(action.kind);
    intent.targetHost = action.host;
    intent.sourceHost = action.source;
    intent.reason = action.reason;
    intent.actor = action.actor;
    intent.createdAt = now;
    if (!action.onBehalfOf.empty()) intent.parameters.emplace("on_behalf_of", action.onBehalfOf);
    if (!action.board.empty()) intent.parameters.emplace("board", action.board);
    if (!action.fromBoard.empty()) intent.parameters.emplace("from_board", action.fromBoard);
    return intent;
}

hv::Result<void> Runtime::State::load() {
    BOOST_OUTCOME_TRY(records, ports.store.serviceStates());
    std::size_t services_remembered = 0;
    for (const auto& [name, record] : records) {
        auto it = services.find(name);
        if (it == services.end()) continue;  // left the policy: its record stays for the audit
        it->second.memory = fromRecord(record);
        it->second.remembered = true;
        it->second.revision = record.revision;
        noteDefinition(it->second, record.definitionXml);
        ++services_remembered;
    }
    BOOST_OUTCOME_TRY(hostRecords, ports.store.hostStates());
    for (const auto& [name, record] : hostRecords) {
        auto it = hosts.find(name);
        if (it == hosts.end()) continue;
        it->second.adminMaintenance = record.maintenance;
        it->second.revision = record.revision;
        if (engine::fenceStatusNamed(record.fence) == engine::FenceStatus::Confirmed) it->second.observation.fence = engine::FenceStatus::Confirmed;
        // A host that announced going down stays announced across a restart of the daemon: a
        // reboot under way is still never fenced within its grace (docs/engine.md).
        if (const auto kind = engine::plannedKindNamed(record.planned)) {
            it->second.observation.planned = engine::PlannedShutdown{*kind, record.plannedAt, record.plannedStopped};
            it->second.silentSincePlanned = record.silentSincePlanned;
        }
    }
    BOOST_OUTCOME_TRY(seats, ports.store.seats());
    ledger.clear();
    for (const auto& seat : seats)
        ledger.push_back({seat.licence, seat.service, seat.onBehalfOf, seat.host, seat.since, seat.applied});
    BOOST_OUTCOME_TRY(reservations, ports.store.boardReservations());
    boards.clear();
    for (const auto& held : reservations)
        boards.push_back({held.host, held.pciAddress, held.service, held.since, held.releasing});
    // Actions a killed daemon left open: their outcome is unknown, so their target may run the VM
    // (the engine treats it as a host that might, invariant 2) and fencing starts over if needed.
    BOOST_OUTCOME_TRY(open, ports.store.openIntents());
    for (const auto& entry : open) {
        auto it = services.find(entry.intent.service);
        const auto action = engine::actionKindNamed(entry.intent.action);
        const bool movedVm = action && engine::movesVm(*action);
        if (it != services.end() && it->second.memory.target.empty() && movedVm) {
            it->second.memory.target = entry.intent.targetHost;
            it->second.remembered = true;
        }
        recordOutcome(entry.id, store::OutcomeStatus::Abandoned,
                      "the daemon stopped while this ran; re-decided from what the hosts report");
    }
    report(engine::Event::about(engine::EventKind::Daemon, "resumed from the store: " + std::to_string(services_remembered) + " services remembered, " +
                      (ledger.empty() ? "" : std::to_string(ledger.size()) + " licence seats held, ") +
                      (boards.empty() ? "" : std::to_string(boards.size()) + " fax boards reserved, ") +
                      std::to_string(open.size()) + " interrupted actions closed"));
    audit("daemon", "daemon", "resume", "start", std::to_string(open.size()) + " interrupted actions closed");
    applyMaintenanceWindows();
    return hv::ok();
}

hv::Result<void> Runtime::State::storeHost(HostEntry& host, bool maintenance, bool fenceConfirmed, store::Batch also) {
    store::HostRecord record;
    record.maintenance = maintenance;
    record.fence = engine::toString(fenceConfirmed ? engine::FenceStatus::Confirmed : engine::FenceStatus::None);
    record.since = ports.wall.now();
    if (const auto& planned = host.observation.planned) {
        record.planned = engine::toString(planned->kind);
        record.plannedAt = planned->announced;
        record.plannedStopped = planned->stoppedServices;
        record.silentSincePlanned = host.silentSincePlanned;
    }
    store::Batch batch;
    batch.add(store::PutHostState{host.observation.name, record, host.revision});
    for (auto& write : also.writes) batch.add(std::move(write));
    BOOST_OUTCOME_TRY(stored, ports.store.commit(batch));
    host.revision = stored.hostRevisions.front();
    return hv::ok();
}

void Runtime::State::saveHost(HostEntry& host) {
    auto saved = storeHost(host, host.adminMaintenance, host.observation.fence == engine::FenceStatus::Confirmed);
    if (!saved) reportStoreFailure("cannot save host " + host.observation.name, saved.error().message);
}

store::AppendAudit Runtime::State::auditRow(const std::string& actor, const std::string& subject,
                                            const std::string& action, const std::string& reason,
                                            const std::string& details) const {
    return store::AppendAudit{{ports.wall.now(), actor, subject, action, reason, details}};
}

void Runtime::State::audit(const std::string& actor, const std::string& subject, const std::string& action,
                           const std::string& reason, const std::string& details) {
    writeAudit(auditRow(actor, subject, action, reason, details).record);
}

void Runtime::State::writeAudit(const store::AuditRecord& row) {
    auto written = ports.store.commit(store::Batch{}.add(store::AppendAudit{row}));
    if (!written) reportStoreFailure("cannot write the audit log", written.error().message);
}

void Runtime::State::recordOutcome(store::IntentId intent, store::OutcomeStatus status, const std::string& message) {
    auto recorded = ports.store.recordOutcome(intent, {status, message, ports.wall.now()});
    if (!recorded)
        reportStoreFailure("cannot record the outcome of intent " + std::to_string(intent), recorded.error().message);
}

}  // namespace faxover::orchestrator::runtime
