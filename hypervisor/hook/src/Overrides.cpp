#include "faxover/hook/Overrides.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>

#include <optional>
#include <regex>
#include <sstream>

namespace faxover::hook {

namespace {

// Poco's parser is lenient (it skips what it does not understand), so the shape is checked first:
// a full date and time with an explicit zone, so that an override never ends at a surprising hour.
std::optional<WallClock::time_point> parseIsoTime(const std::string& text) {
    static const std::regex shape(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))");
    if (!std::regex_match(text, shape)) return std::nullopt;
    Poco::DateTime when;
    int zone = 0;
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, when, zone)) return std::nullopt;
    when.makeUTC(zone);
    return WallClock::from_time_t(when.timestamp().epochTime());
}

std::string lineProblem(int number, const std::string& why) {
    return "line " + std::to_string(number) + ": " + why;
}

}  // namespace

OverrideFile parseOverrides(const std::string& text, WallClock::time_point now) {
    OverrideFile file;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        const auto start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#') continue;
        line = line.substr(start);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();

        Override entry;
        entry.line = number;
        std::istringstream words(line);
        std::string until;
        words >> entry.domain >> until;
        // The reason is the rest of the line, spaces and all.
        std::string rest;
        std::getline(words, rest);
        rest.erase(0, rest.find_first_not_of(" \t"));
        if (until.rfind("until=", 0) != 0) {
            file.ignored.push_back(lineProblem(number, "malformed, expected 'DOMAIN until=TIME reason=TEXT'"));
            continue;
        }
        entry.untilText = until.substr(6);
        if (rest.rfind("reason=", 0) != 0 || rest.size() == 7) {
            file.ignored.push_back(lineProblem(number, "no reason= (every override must say why)"));
            continue;
        }
        entry.reason = rest.substr(7);
        const auto when = parseIsoTime(entry.untilText);
        if (!when) {
            file.ignored.push_back(lineProblem(number, "until='" + entry.untilText +
                                                           "' is not an ISO 8601 time with a zone "
                                                           "(e.g. 2026-11-22T18:00:00Z)"));
            continue;
        }
        entry.until = *when;
        if (entry.until <= now) {
            file.ignored.push_back(lineProblem(number, "expired at " + entry.untilText));
            continue;
        }
        if (entry.until > now + kMaxOverride) {
            file.ignored.push_back(lineProblem(number, "until=" + entry.untilText + " is more than " +
                                                           std::to_string(kMaxOverride.count()) +
                                                           " h ahead (an override bridges an outage)"));
            continue;
        }
        file.valid.push_back(entry);
    }
    return file;
}

}  // namespace faxover::hook
