#pragma once
// The real store with a window on it: the scenario hears of every intent as it is written, so a
// command like "kill-daemon-at start after" can kill the daemon exactly during that action; and a
// switch that makes every write fail as a full disk does (`store-full on`).
#include "faxover/orchestrator/ports/Store.h"

#include <functional>
#include <variant>

namespace faxover::scenario {

class StoreSpy final : public orchestrator::store::Store {
public:
    using Intent = orchestrator::store::Intent;
    explicit StoreSpy(orchestrator::store::Store& store) : store_(store) {}
    void onIntent(std::function<void(const Intent&)> listener) { listener_ = std::move(listener); }
    void setFull(bool full) { full_ = full; }

    orchestrator::store::Result<orchestrator::store::BatchResult> commit(const orchestrator::store::Batch& batch) override {
        if (full_) return diskFull();
        auto result = store_.commit(batch);
        if (result)
            for (const auto& write : batch.writes)
                if (const auto* append = std::get_if<orchestrator::store::AppendIntent>(&write)) notify(append->intent);
        return result;
    }
    orchestrator::store::Result<orchestrator::store::IntentId> appendIntent(const Intent& intent) override {
        if (full_) return diskFull();
        auto result = store_.appendIntent(intent);
        if (result) notify(intent);
        return result;
    }
    orchestrator::store::Result<void> recordOutcome(orchestrator::store::IntentId id,
                                                    const orchestrator::store::Outcome& outcome) override {
        if (full_) return diskFull();
        return store_.recordOutcome(id, outcome);
    }
    orchestrator::store::Result<std::vector<orchestrator::store::IntentEntry>> openIntents() override {
        return store_.openIntents();
    }
    orchestrator::store::Result<std::vector<orchestrator::store::IntentEntry>> intentsAfter(
        orchestrator::store::IntentId afterId, std::size_t limit) override {
        return store_.intentsAfter(afterId, limit);
    }
    orchestrator::store::Result<std::vector<orchestrator::store::IntentEntry>> intentsSince(
        orchestrator::store::TimePoint since, std::size_t limit) override {
        return store_.intentsSince(since, limit);
    }
    orchestrator::store::Result<orchestrator::store::Revision> putServiceState(
        const std::string& service, const orchestrator::store::ServiceRecord& record,
        orchestrator::store::Revision expectedRevision) override {
        if (full_) return diskFull();
        return store_.putServiceState(service, record, expectedRevision);
    }
    orchestrator::store::Result<std::map<std::string, orchestrator::store::ServiceRecord>> serviceStates() override {
        return store_.serviceStates();
    }
    orchestrator::store::Result<orchestrator::store::Revision> putHostState(
        const std::string& host, const orchestrator::store::HostRecord& record,
        orchestrator::store::Revision expectedRevision) override {
        if (full_) return diskFull();
        return store_.putHostState(host, record, expectedRevision);
    }
    orchestrator::store::Result<std::map<std::string, orchestrator::store::HostRecord>> hostStates() override {
        return store_.hostStates();
    }
    orchestrator::store::Result<void> appendAudit(const orchestrator::store::AuditRecord& record) override {
        if (full_) return diskFull();
        return store_.appendAudit(record);
    }
    orchestrator::store::Result<std::vector<orchestrator::store::SeatRecord>> seats() override { return store_.seats(); }
    orchestrator::store::Result<std::vector<orchestrator::store::LicenceAuditRecord>> licenceAudit(
        orchestrator::store::TimePoint since, std::size_t limit) override {
        return store_.licenceAudit(since, limit);
    }
    orchestrator::store::Result<std::vector<orchestrator::store::BoardReservationRecord>> boardReservations() override {
        return store_.boardReservations();
    }
    orchestrator::store::Result<std::vector<orchestrator::store::AuditRecord>> audit(
        orchestrator::store::TimePoint since, std::size_t limit) override {
        return store_.audit(since, limit);
    }

private:
    static orchestrator::store::Error diskFull() {
        return {orchestrator::store::ErrorKind::OperationFailed, "database or disk is full"};
    }
    void notify(const Intent& intent) {
        if (listener_) listener_(intent);
    }
    orchestrator::store::Store& store_;
    bool full_ = false;
    std::function<void(const Intent&)> listener_;
};

}  // namespace faxover::scenario
