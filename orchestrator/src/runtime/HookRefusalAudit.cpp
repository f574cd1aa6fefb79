#include "faxover/orchestrator/runtime/HookRefusalAudit.h"

#include <algorithm>

namespace faxover::orchestrator::runtime {

namespace {

// Kinds are bounded by the policy (service x host x reason, one per service for unknown hosts), but
// a map that only grows is a leak in a long-lived daemon: quiet kinds are dropped past this size.
constexpr std::size_t kKindsKept = 256;

bool windowPassed(const std::optional<hv::TimePoint>& writtenAt, hv::TimePoint now) {
    return !writtenAt || now - *writtenAt >= HookRefusalAudit::kRepeatWindow;
}

}  // namespace

bool HookRefusalAudit::spendRow(hv::TimePoint now) {
    if (refilledAt_) {
        const double earned = std::chrono::duration<double>(now - *refilledAt_) / std::chrono::duration<double>(kRowEvery);
        rowsAvailable_ = std::min<double>(kBurstRows, rowsAvailable_ + std::max(0.0, earned));
    }
    refilledAt_ = now;
    if (rowsAvailable_ < 1.0) return false;
    rowsAvailable_ -= 1.0;
    return true;
}

store::LicenceAuditRecord HookRefusalAudit::rowFor(Kind& kind, hv::TimePoint now) {
    store::LicenceAuditRecord row = kind.last;
    if (kind.unwritten > 1)
        row.reason += " (" + std::to_string(kind.unwritten - 1) + " more refused like this since the last row)";
    kind.unwritten = 0;
    kind.writtenAt = now;
    return row;
}

std::optional<store::LicenceAuditRecord> HookRefusalAudit::refused(const std::string& kindName,
                                                                   store::LicenceAuditRecord row, hv::TimePoint now) {
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

std::vector<store::LicenceAuditRecord> HookRefusalAudit::due(hv::TimePoint now) {
    std::vector<store::LicenceAuditRecord> rows;
    for (auto& [name, kind] : kinds_)
        if (kind.unwritten > 0 && windowPassed(kind.writtenAt, now) && spendRow(now)) rows.push_back(rowFor(kind, now));
    return rows;
}

void HookRefusalAudit::forgetQuietKinds(hv::TimePoint now) {
    std::erase_if(kinds_, [&](const auto& entry) {
        return entry.second.unwritten == 0 && windowPassed(entry.second.writtenAt, now);
    });
}

}  // namespace faxover::orchestrator::runtime
