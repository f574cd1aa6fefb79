#include "faxover/orchestrator/engine/MaintenanceWindows.h"

#include <algorithm>

namespace faxover::orchestrator::engine {

namespace {

bool covers(const policy::WeeklyWindow& window, std::chrono::system_clock::time_point now) {
    using namespace std::chrono;
    const auto local = floor<minutes>(now) + window.utcOffset;
    const auto day = floor<days>(local);
    const minutes sinceMidnight = duration_cast<minutes>(local - day);
    // weekday: 1970-01-01 was a Thursday; policy::Weekday counts from Monday = 0.
    const auto weekday = static_cast<int>((day.time_since_epoch().count() % 7 + 7 + 3) % 7);
    const bool today = std::find(window.days.begin(), window.days.end(), static_cast<policy::Weekday>(weekday)) !=
                       window.days.end();
    return today && sinceMidnight >= window.start && sinceMidnight < window.end;
}

bool covers(const policy::AbsoluteWindow& window, std::chrono::system_clock::time_point now) {
    return now >= window.start && now < window.end;
}

}  // namespace

std::optional<ActiveWindow> activeMaintenance(const policy::Policy& policy, const std::string& host,
                                              std::chrono::system_clock::time_point now) {
    std::optional<ActiveWindow> found;
    for (const auto& window : policy.maintenance) {
        const bool forHost =
            window.allHosts || std::find(window.hosts.begin(), window.hosts.end(), host) != window.hosts.end();
        if (!forHost) continue;
        const bool open = std::visit([&](const auto& schedule) { return covers(schedule, now); }, window.schedule);
        if (!open) continue;
        if (!found || (found->action != policy::MaintenanceAction::Drain &&
                       window.action == policy::MaintenanceAction::Drain))
            found = ActiveWindow{window.name, window.action};
    }
    return found;
}

}  // namespace faxover::orchestrator::engine
