#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

constexpr std::string_view kTimeExpected = "a time of day HH:MM such as \"02:00\"";
constexpr std::string_view kEndTimeExpected = "a time of day HH:MM such as \"04:00\", or \"24:00\" for midnight";
constexpr std::string_view kInstantExpected =
    "an ISO 8601 date and time with its offset, such as 2026-12-24T22:00:00Z or 2026-12-24T22:00+10:00";

template <class Value>
std::optional<Value> readFormatted(Reader& reader, const Field& field, std::string_view expected,
                                   std::optional<Value> (*parse)(std::string_view)) {
    auto text = readText(reader.diagnostics, field, expected);
    if (!text) return std::nullopt;
    auto value = parse(*text);
    if (!value) {
        const std::string mistake = calendarMistake(*text);
        reader.diagnostics.report(field.mark(), field.path,
                                  "expected " + std::string(expected) + "; found " + describe(field.node) +
                                      (mistake.empty() ? "" : " (" + mistake + ")"));
    }
    return value;
}

std::optional<std::chrono::minutes> parseStartTime(std::string_view text) { return parseTimeOfDay(text, false); }
std::optional<std::chrono::minutes> parseEndTime(std::string_view text) { return parseTimeOfDay(text, true); }

std::vector<Weekday> readDays(Reader& reader, const Field& field) {
    std::vector<Weekday> days;
    const auto items = listItems(reader.diagnostics, field, "days (mon, tue, wed, thu, fri, sat, sun)");
    for (const Field& item : items) {
        auto day = readChoice(reader.diagnostics, item,
                              {Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday,
                               Weekday::Friday, Weekday::Saturday, Weekday::Sunday});
        if (!day) continue;
        if (std::find(days.begin(), days.end(), *day) != days.end()) {
            reader.diagnostics.report(item.mark(), item.path, std::string("'") + toString(*day) + "' is listed twice");
            continue;
        }
        days.push_back(*day);
    }
    if (items.empty() && (field.empty() || field.node.IsSequence())) {
        reader.diagnostics.report(field.mark(), field.path,
                                  "expected at least one day (mon, tue, wed, thu, fri, sat, sun); found none");
    }
    return days;
}

WeeklyWindow readWeekly(Reader& reader, const Field& field) {
    WeeklyWindow weekly;
    MappingReader map(reader.diagnostics, field, {"days", "start", "end", "utc_offset"});
    if (!map.isMapping()) return weekly;
    if (auto days = map.require("days", "a list of days such as [sat, sun]")) weekly.days = readDays(reader, *days);
    std::optional<std::chrono::minutes> start;
    std::optional<std::chrono::minutes> end;
    if (auto startField = map.require("start", kTimeExpected)) {
        start = readFormatted(reader, *startField, kTimeExpected, parseStartTime);
    }
    auto endField = map.require("end", kEndTimeExpected);
    if (endField) end = readFormatted(reader, *endField, kEndTimeExpected, parseEndTime);
    if (start && end && *end <= *start) {
        reader.diagnostics.report(endField->mark(), endField->path,
                                  "expected an end after start (" + formatTimeOfDay(*start) +
                                      "); a window across midnight is two windows, one to \"24:00\" and one from "
                                      "\"00:00\" on the next day; found " + describe(endField->node));
    }
    weekly.start = start.value_or(weekly.start);
    weekly.end = end.value_or(weekly.end);
    if (auto offset = map.find("utc_offset")) {
        weekly.utcOffset = readFormatted(reader, *offset, "an offset from UTC +HH:MM or -HH:MM such as \"+10:00\"",
                                         parseUtcOffset)
                               .value_or(weekly.utcOffset);
    }
    return weekly;
}

AbsoluteWindow readAbsolute(Reader& reader, const MappingReader& map) {
    AbsoluteWindow window;
    std::optional<std::chrono::sys_seconds> start;
    std::optional<std::chrono::sys_seconds> end;
    if (auto startField = map.require("start", kInstantExpected)) {
        start = readFormatted(reader, *startField, kInstantExpected, parseTimestamp);
    }
    auto endField = map.require("end", kInstantExpected);
    if (endField) end = readFormatted(reader, *endField, kInstantExpected, parseTimestamp);
    if (start && end && *end <= *start) {
        reader.diagnostics.report(endField->mark(), endField->path,
                                  "expected an end after start (" + formatTimestamp(*start) + "); found " +
                                      describe(endField->node));
    }
    window.start = start.value_or(window.start);
    window.end = end.value_or(window.end);
    return window;
}

void readHostsOfWindow(Reader& reader, const Field& field, MaintenanceWindow& window) {
    if (field.node.IsScalar() && field.node.Scalar() == "all") {
        window.allHosts = true;
        return;
    }
    if (!field.node.IsSequence()) {
        reader.diagnostics.report(field.mark(), field.path,
                                  "expected all, or a list of host names; found " + describe(field.node));
        return;
    }
    for (const auto& item : readNameList(reader.diagnostics, field, "host names")) {
        reader.symbols.refer(SymbolKind::Host, item.name, item.path);
        window.hosts.push_back(item.name);
    }
    if (field.node.size() == 0) {
        reader.diagnostics.report(field.mark(), field.path, "expected all, or a list of host names; found an empty list");
    }
}

MaintenanceWindow readWindow(Reader& reader, const Field& field) {
    MaintenanceWindow window;
    MappingReader map(reader.diagnostics, field, {"name", "hosts", "action", "weekly", "start", "end"});
    if (!map.isMapping()) return window;
    if (auto name = map.require("name", kNameGrammar)) {
        if (auto text = readName(reader.diagnostics, *name)) {
            window.name = *text;
            reader.symbols.define(SymbolKind::Maintenance, *text, name->path);
        }
    }
    if (auto hosts = map.require("hosts", "all, or a list of host names")) readHostsOfWindow(reader, *hosts, window);
    if (auto action = map.find("action")) {
        if (auto value = readChoice(reader.diagnostics, *action,
                                    {MaintenanceAction::Drain, MaintenanceAction::SuspendMonitoring})) {
            window.action = *value;
        }
    }
    auto weekly = map.find("weekly");
    const bool absolute = map.find("start") || map.find("end");
    if (weekly && absolute) {
        for (const auto& key : {"start", "end"}) {
            if (auto misplaced = map.find(key)) {
                reader.diagnostics.report(misplaced->keyMark, misplaced->path,
                                          "a window is weekly or once (start and end), not both; remove this key or weekly");
            }
        }
    } else if (weekly) {
        window.schedule = readWeekly(reader, *weekly);
    } else if (absolute) {
        window.schedule = readAbsolute(reader, map);
    } else {
        reader.diagnostics.report(map.field().mark(), childPath(field.path, "weekly"),
                                  "missing schedule; expected weekly (days, start, end) or start and end (" +
                                      std::string(kInstantExpected) + ")");
    }
    return window;
}

}  // namespace

std::vector<MaintenanceWindow> readMaintenance(Reader& reader, const Field& field) {
    std::vector<MaintenanceWindow> windows;
    for (const Field& item : listItems(reader.diagnostics, field, "maintenance windows")) {
        windows.push_back(readWindow(reader, item));
    }
    return windows;
}

}  // namespace faxover::policy::read
