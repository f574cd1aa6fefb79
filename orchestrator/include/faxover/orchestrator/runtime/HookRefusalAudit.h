#pragma once
// What refusals of unauthenticated callers may add to an audit log. Anyone who reaches the hook port
// can ask, so a refusal is not one row: refusals alike (same kind) share one row per window with a
// count, and all of them together spend a budget that bounds the audit's growth (docs/licensing.md,
// "Refusals by the hook"). Two logs use it: the licence audit for the hook's refused starts, and the
// audit log for refused host events (docs/hook.md, "Planned shutdown"). Pure: the caller gives the
// time and writes the rows. `Record` is a row with a `reason` the count is appended to.
#include "faxover/hypervisor/Clock.h"
#include "faxover/orchestrator/ports/StoreRecords.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::runtime {

template <class Record>
class BoundedRefusalAudit {
public:
    static constexpr hv::Duration kRepeatWindow = std::chrono::seconds(60);  // one row per kind per window
    static constexpr int kBurstRows = 12;                                     // rows that may come at once
    static constexpr hv::Duration kRowEvery = std::chrono::seconds(5);        // then one more per 5 s: 12 a minute
    // Kinds are bounded by the policy (e.g. service x host x reason), but a map that only grows is a
    // leak in a long-lived daemon: quiet kinds are dropped past this size.
    static constexpr std::size_t kKindsKept = 256;

    // A refusal. `kind` groups refusals that would say the same; `row` is the line it would write.
    // Returns the row to write now (its reason then says how many alike went unwritten before it),
    // or nothing: the refusal is counted for a later row.
    std::optional<Record> refused(const std::string& kindName, Record row, hv::TimePoint now) {
        std::string name = kindName;
        if (kinds_.size() >= kKindsKept && !kinds_.contains(name)) {
            forgetQuietKinds(now);
            if (kinds_.size() >= kKindsKept) name = "(more kinds than kept)";
        }
        Kind& kind = kinds_[name];
        kind.last = std::move(row);
        ++kind.unwritten;
        if (!windowPassed(kind.writtenAt, now) || !spendRow(now)) return std::nullopt;
        return rowFor(kind, now);
    }

    // Rows for counted refusals whose window has passed, as the budget allows: call it now and then,
    // so a burst that stopped is still written down.
    std::vector<Record> due(hv::TimePoint now) {
        std::vector<Record> rows;
        for (auto& [name, kind] : kinds_)
            if (kind.unwritten > 0 && windowPassed(kind.writtenAt, now) && spendRow(now)) rows.push_back(rowFor(kind, now));
        return rows;
    }

private:
    struct Kind {
        Record last{};
        std::optional<hv::TimePoint> writtenAt{};
        std::uint64_t unwritten = 0;  // refusals since the last row of this kind
    };

    static bool windowPassed(const std::optional<hv::TimePoint>& writtenAt, hv::TimePoint now) {
        return !writtenAt || now - *writtenAt >= kRepeatWindow;
    }

    bool spendRow(hv::TimePoint now) {
        if (refilledAt_) {
            const double earned =
                std::chrono::duration<double>(now - *refilledAt_) / std::chrono::duration<double>(kRowEvery);
            rowsAvailable_ = std::min<double>(kBurstRows, rowsAvailable_ + std::max(0.0, earned));
        }
        refilledAt_ = now;
        if (rowsAvailable_ < 1.0) return false;
        rowsAvailable_ -= 1.0;
        return true;
    }

    static Record rowFor(Kind& kind, hv::TimePoint now) {
        Record row = kind.last;
        if (kind.unwritten > 1)
            row.reason += " (" + std::to_string(kind.unwritten - 1) + " more refused like this since the last row)";
        kind.unwritten = 0;
        kind.writtenAt = now;
        return row;
    }

    void forgetQuietKinds(hv::TimePoint now) {
        std::erase_if(kinds_, [&](const auto& entry) {
            return entry.second.unwritten == 0 && windowPassed(entry.second.writtenAt, now);
        });
    }

    std::map<std::string, Kind> kinds_;
    double rowsAvailable_ = kBurstRows;
    std::optional<hv::TimePoint> refilledAt_{};
};

// The libvirt hook's refused starts, in the licence audit.
using HookRefusalAudit = BoundedRefusalAudit<store::LicenceAuditRecord>;
// Host events refused because they came from another machine than the host, in the audit log.
using HostEventRefusalAudit = BoundedRefusalAudit<store::AuditRecord>;

}  // namespace faxover::orchestrator::runtime
