#pragma once
// What the libvirt hook's refusals may add to the licence audit and the log. Anyone who reaches the
// hook port can ask, unauthenticated, so a refusal is not one row: refusals alike (same service,
// host, reason) share one row per window with a count, refusals for hosts the policy does not name
// share one row per service, and all of them together spend a budget that bounds the audit's growth
// (docs/licensing.md, "Refusals by the hook"). Pure: the caller gives the time and writes the rows.
#include "faxover/hypervisor/Clock.h"
#include "faxover/orchestrator/ports/StoreRecords.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::runtime {

class HookRefusalAudit {
public:
    static constexpr hv::Duration kRepeatWindow = std::chrono::seconds(60);  // one row per kind per window
    static constexpr int kBurstRows = 12;                                     // rows that may come at once
    static constexpr hv::Duration kRowEvery = std::chrono::seconds(5);        // then one more per 5 s: 12 a minute

    // A refusal. `kind` groups refusals that would say the same; `row` is the line it would write.
    // Returns the row to write now (its reason then says how many alike went unwritten before it),
    // or nothing: the refusal is counted for a later row.
    std::optional<store::LicenceAuditRecord> refused(const std::string& kind, store::LicenceAuditRecord row,
                                                     hv::TimePoint now);

    // Rows for counted refusals whose window has passed, as the budget allows: call it now and then,
    // so a burst that stopped is still written down.
    std::vector<store::LicenceAuditRecord> due(hv::TimePoint now);

private:
    struct Kind {
        store::LicenceAuditRecord last{};
        std::optional<hv::TimePoint> writtenAt{};
        std::uint64_t unwritten = 0;  // refusals since the last row of this kind
    };
    bool spendRow(hv::TimePoint now);
    static store::LicenceAuditRecord rowFor(Kind& kind, hv::TimePoint now);
    void forgetQuietKinds(hv::TimePoint now);

    std::map<std::string, Kind> kinds_;
    double rowsAvailable_ = kBurstRows;
    std::optional<hv::TimePoint> refilledAt_{};
};

}  // namespace faxover::orchestrator::runtime
