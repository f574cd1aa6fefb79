#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono;

namespace {

std::string withMaintenance(std::string_view windows) {
    return std::string(kMinimalPolicy) + "maintenance:\n" + std::string(windows);  // windows start on line 8
}

}  // namespace

TEST_CASE("a weekly window: days, start, end and a UTC offset", "[policy]") {
    auto policy = loadValid(withMaintenance("  - name: patching\n"
                                            "    hosts: all\n"
                                            "    weekly: {days: [sat, sun], start: \"22:00\", end: \"24:00\", "
                                            "utc_offset: \"-05:30\"}\n"));
    const MaintenanceWindow& window = policy.maintenance.at(0);
    CHECK(window.allHosts);
    CHECK(window.action == MaintenanceAction::Drain);
    const auto& weekly = std::get<WeeklyWindow>(window.schedule);
    CHECK(weekly.days == std::vector<Weekday>{Weekday::Saturday, Weekday::Sunday});
    CHECK(weekly.start == hours(22));
    CHECK(weekly.end == hours(24));
    CHECK(weekly.utcOffset == -(hours(5) + minutes(30)));
}

TEST_CASE("a one-off window: ISO 8601 instants with their offsets", "[policy]") {
    auto policy = loadValid(withMaintenance("  - name: ups-swap\n"
                                            "    hosts: [hv1]\n"
                                            "    action: suspend-monitoring\n"
                                            "    start: 2026-12-24T22:00:00+10:00\n"
                                            "    end: 2026-12-24T13:30Z\n"));
    const MaintenanceWindow& window = policy.maintenance.at(0);
    CHECK(window.hosts == std::vector<std::string>{"hv1"});
    CHECK(window.action == MaintenanceAction::SuspendMonitoring);
    const auto& once = std::get<AbsoluteWindow>(window.schedule);
    CHECK(once.start == sys_days(2026y / December / 24) + hours(12));
    CHECK(once.end == sys_days(2026y / December / 24) + hours(13) + minutes(30));
}

TEST_CASE("a window's end must come after its start", "[policy]") {
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: all\n"
                                    "    weekly: {days: [mon], start: \"22:00\", end: \"02:00\"}\n"))
              .toString() ==
          "p.yaml:10:48: maintenance[0].weekly.end: expected an end after start (22:00); a window across midnight is "
          "two windows, one to \"24:00\" and one from \"00:00\" on the next day; found '02:00'");
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: all\n"
                                    "    weekly: {days: [mon], start: \"02:00\", end: \"02:00\"}\n"))
              .key == "maintenance[0].weekly.end");
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: all\n"
                                    "    start: 2026-06-01T10:00:00+02:00\n    end: 2026-06-01T08:00:00Z\n"))
              .toString() ==
          "p.yaml:11:10: maintenance[0].end: expected an end after start (2026-06-01T08:00:00Z); found "
          "'2026-06-01T08:00:00Z'");
}

TEST_CASE("times, days, offsets and instants follow their grammars", "[policy]") {
    auto weeklyError = [](std::string_view weekly) {
        return onlyError(withMaintenance("  - name: w\n    hosts: all\n    weekly: " + std::string(weekly) + "\n"));
    };
    CHECK(weeklyError("{days: [mon], start: \"24:00\", end: \"24:00\"}").message ==
          "expected a time of day HH:MM such as \"02:00\"; found '24:00'");
    CHECK(weeklyError("{days: [mon], start: \"1:00\", end: \"02:00\"}").key == "maintenance[0].weekly.start");
    CHECK(weeklyError("{days: [mon], start: \"01:00\", end: \"02:60\"}").key == "maintenance[0].weekly.end");
    CHECK(weeklyError("{days: [monday], start: \"01:00\", end: \"02:00\"}").toString() ==
          "p.yaml:10:21: maintenance[0].weekly.days[0]: expected one of mon, tue, wed, thu, fri, sat, sun; found "
          "'monday'");
    CHECK(weeklyError("{days: [], start: \"01:00\", end: \"02:00\"}").message ==
          "expected at least one day (mon, tue, wed, thu, fri, sat, sun); found none");
    CHECK(weeklyError("{days: [mon], start: \"01:00\", end: \"02:00\", utc_offset: \"+1\"}").message ==
          "expected an offset from UTC +HH:MM or -HH:MM such as \"+10:00\"; found '+1'");
    CHECK(weeklyError("{days: [mon], start: \"01:00\", end: \"02:00\", utc_offset: \"+15:00\"}").key ==
          "maintenance[0].weekly.utc_offset");
    for (const char* bad : {"2026-02-30T10:00:00Z", "2026-12-24T22:00:00", "2026-12-24 22:00:00Z", "24.12.2026 22:00",
                            "2026-12-24T22:00:60Z", "1969-12-31T23:00:00Z", "2026-12-24T22:00:00+1000"}) {
        INFO(bad);
        auto error = onlyError(withMaintenance("  - name: w\n    hosts: all\n    start: \"" + std::string(bad) +
                                               "\"\n    end: 2030-01-01T00:00:00Z\n"));
        const std::string why = std::string(bad) == "2026-02-30T10:00:00Z"
                                    ? " (2026-02-30 is not a date: February 2026 has 28 days)"
                                    : "";
        CHECK(error.toString() ==
              "p.yaml:10:12: maintenance[0].start: expected an ISO 8601 date and time with its offset, such as "
              "2026-12-24T22:00:00Z or 2026-12-24T22:00+10:00; found '" + std::string(bad) + "'" + why);
    }
    CHECK_THAT(onlyError(withMaintenance("  - name: w\n    hosts: all\n    start: 2027-13-01T00:00:00Z\n"
                                         "    end: 2030-01-01T00:00:00Z\n")).message,
               Catch::EndsWith("(2027-13-01 is not a date: there is no month 13)"));
    CHECK_THAT(onlyError(withMaintenance("  - name: w\n    hosts: all\n    start: 2027-04-31T00:00:00Z\n"
                                         "    end: 2030-01-01T00:00:00Z\n")).message,
               Catch::EndsWith("(2027-04-31 is not a date: April 2027 has 30 days)"));
    loadValid(withMaintenance("  - name: leap\n    hosts: all\n    start: 2028-02-29T00:00:00Z\n"
                              "    end: 2028-03-01T00:00:00Z\n"));
}

TEST_CASE("a window is weekly or once, never both or neither", "[policy]") {
    auto both = errorsOf(withMaintenance("  - name: w\n    hosts: all\n"
                                         "    weekly: {days: [mon], start: \"01:00\", end: \"02:00\"}\n"
                                         "    start: 2026-01-01T00:00:00Z\n"));
    CHECK(both == std::vector<std::string>{"p.yaml:11:5: maintenance[0].start: a window is weekly or once (start and "
                                           "end), not both; remove this key or weekly"});
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: all\n")).toString() ==
          "p.yaml:8:5: maintenance[0].weekly: missing schedule; expected weekly (days, start, end) or start and end "
          "(an ISO 8601 date and time with its offset, such as 2026-12-24T22:00:00Z or 2026-12-24T22:00+10:00)");
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: all\n    start: 2026-01-01T00:00:00Z\n")).key ==
          "maintenance[0].end");
}

TEST_CASE("a window names all hosts or known ones", "[policy]") {
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: [hv2]\n    start: 2026-01-01T00:00:00Z\n"
                                    "    end: 2026-01-02T00:00:00Z\n"))
              .toString() == "p.yaml:9:13: maintenance[0].hosts[0]: unknown host 'hv2'; expected one of hv1 (did you "
                             "mean 'hv1'?)");
    CHECK(onlyError(withMaintenance("  - name: w\n    hosts: every\n    start: 2026-01-01T00:00:00Z\n"
                                    "    end: 2026-01-02T00:00:00Z\n"))
              .message == "expected all, or a list of host names; found 'every'");
    CHECK(onlyError(withMaintenance("  - {name: w, hosts: all, start: 2026-01-01T00:00Z, end: 2026-01-02T00:00Z}\n"
                                    "  - {name: w, hosts: all, start: 2026-01-01T00:00Z, end: 2026-01-02T00:00Z}\n"))
              .toString() == "p.yaml:9:12: maintenance[1].name: duplicate maintenance window 'w'; already used by "
                             "maintenance[0].name at line 8");
}
