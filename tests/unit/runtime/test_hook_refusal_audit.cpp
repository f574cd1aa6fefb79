#include "faxover/orchestrator/runtime/HookRefusalAudit.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using faxover::orchestrator::runtime::HookRefusalAudit;
using namespace std::chrono_literals;

namespace {

faxover::orchestrator::store::LicenceAuditRecord refusal(const std::string& host) {
    faxover::orchestrator::store::LicenceAuditRecord row;
    row.event = "refuse";
    row.service = "fax1";
    row.host = host;
    row.reason = "libvirt hook: start refused: fax1: host " + host + " is not in the policy";
    return row;
}

}  // namespace

TEST_CASE("hook refusals: one row per kind and window, the next one counts what was not written", "[runtime][hook-refusals]") {
    HookRefusalAudit audit;
    const faxover::hv::TimePoint start{};
    REQUIRE(audit.refused("fax1|unknown host", refusal("x0"), start));
    for (int i = 1; i <= 99; ++i) CHECK_FALSE(audit.refused("fax1|unknown host", refusal("x" + std::to_string(i)), start + 1s));
    CHECK(audit.due(start + 59s).empty());  // the window is not over

    const auto rows = audit.due(start + 60s);
    REQUIRE(rows.size() == 1);
    CHECK(rows.front().host == "x99");  // the last refusal, with the count of the others
    CHECK(rows.front().reason == "libvirt hook: start refused: fax1: host x99 is not in the policy "
                                 "(98 more refused like this since the last row)");
    CHECK(audit.due(start + 600s).empty());  // nothing left to tell
}

TEST_CASE("hook refusals: however many kinds a caller makes up, at most 12 rows at once and one per 5 s after", "[runtime][hook-refusals]") {
    HookRefusalAudit audit;
    const faxover::hv::TimePoint start{};
    int written = 0;
    for (int i = 0; i < 1000; ++i)
        if (audit.refused("kind " + std::to_string(i), refusal("h"), start)) ++written;
    CHECK(written == HookRefusalAudit::kBurstRows);

    // An hour of a caller asking for a new kind 100 times a second, plus what is due each second.
    for (int second = 1; second <= 3600; ++second) {
        const auto now = start + std::chrono::seconds(second);
        for (int i = 0; i < 100; ++i)
            if (audit.refused("kind " + std::to_string(second * 100 + i), refusal("h"), now)) ++written;
        written += static_cast<int>(audit.due(now).size());
    }
    CHECK(written <= HookRefusalAudit::kBurstRows + 3600 / 5);
    CHECK(written >= 3600 / 5);  // the budget is spent, not lost
}
