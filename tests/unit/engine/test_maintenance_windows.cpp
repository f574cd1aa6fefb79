#include "faxover/orchestrator/engine/MaintenanceWindows.h"

#include <catch2/catch.hpp>

namespace {

using namespace std::chrono;
using faxover::orchestrator::engine::activeMaintenance;
namespace policy = faxover::policy;

// 2026-01-05 is a Monday.
constexpr sys_days kMonday = sys_days(year(2026) / January / 5);

policy::Policy withWindows(std::vector<policy::MaintenanceWindow> windows) {
    policy::Policy result;
    result.maintenance = std::move(windows);
    return result;
}

policy::MaintenanceWindow weekly(std::string name, std::vector<policy::Weekday> days, minutes start, minutes end,
                                 minutes offset = minutes(0),
                                 policy::MaintenanceAction action = policy::MaintenanceAction::Drain) {
    return {std::move(name), false, {"h1"}, action, policy::WeeklyWindow{std::move(days), start, end, offset}};
}

}  // namespace

TEST_CASE("maintenance windows: a weekly window covers its days and hours only", "[engine]") {
    const auto policy = withWindows({weekly("patch", {policy::Weekday::Sunday}, hours(6), hours(8))});
    const auto sunday = kMonday + days(6);
    CHECK_FALSE(activeMaintenance(policy, "h1", sunday + hours(5) + minutes(59)));
    CHECK(activeMaintenance(policy, "h1", sunday + hours(6))->name == "patch");
    CHECK(activeMaintenance(policy, "h1", sunday + hours(7) + minutes(59)));
    CHECK_FALSE(activeMaintenance(policy, "h1", sunday + hours(8)));  // the end is exclusive
    CHECK_FALSE(activeMaintenance(policy, "h1", kMonday + hours(7)));  // another day
    CHECK_FALSE(activeMaintenance(policy, "h2", sunday + hours(7)));  // another host
}

TEST_CASE("maintenance windows: the UTC offset moves the window", "[engine]") {
    // 06:00-08:00 at +01:00 is 05:00-07:00 UTC.
    const auto policy = withWindows({weekly("patch", {policy::Weekday::Monday}, hours(6), hours(8), hours(1))});
    CHECK(activeMaintenance(policy, "h1", kMonday + hours(5)));
    CHECK_FALSE(activeMaintenance(policy, "h1", kMonday + hours(7)));
    // 00:30 Monday at +01:00 is Sunday 23:30 UTC.
    const auto late = withWindows({weekly("late", {policy::Weekday::Monday}, minutes(0), minutes(60), hours(1))});
    CHECK(activeMaintenance(late, "h1", kMonday - minutes(30)));
}

TEST_CASE("maintenance windows: absolute windows and drain winning over suspend", "[engine]") {
    policy::MaintenanceWindow once{"move", true, {}, policy::MaintenanceAction::SuspendMonitoring,
                                   policy::AbsoluteWindow{floor<seconds>(kMonday + hours(1)), floor<seconds>(kMonday + hours(2))}};
    auto drain = weekly("drain", {policy::Weekday::Monday}, minutes(90), hours(3));
    const auto policy = withWindows({once, drain});
    CHECK(activeMaintenance(policy, "h1", kMonday + minutes(70))->action == policy::MaintenanceAction::SuspendMonitoring);
    CHECK(activeMaintenance(policy, "h1", kMonday + minutes(100))->name == "drain");  // both open: drain
    CHECK(activeMaintenance(policy, "h7", kMonday + minutes(70))->name == "move");    // all hosts
    CHECK_FALSE(activeMaintenance(policy, "h7", kMonday + hours(4)));
}
