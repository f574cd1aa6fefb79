// Where the daemon's events go (docs/policy.md, "events"): the state log's file and the command
// run for each alert.
#include "read/Scalars.h"
#include "read/Sections.h"

#include <chrono>

namespace faxover::policy::read {

namespace {

constexpr std::chrono::milliseconds kDefaultAlertTimeout{10000};
constexpr std::chrono::milliseconds kShortestAlertTimeout{1000};
constexpr std::chrono::milliseconds kLongestAlertTimeout{300000};
constexpr std::string_view kProgramExpected = "a program name or an absolute path, then its arguments";

// [program, arguments...]: never a shell command line.
std::optional<CommandStep> readAlertCommand(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    const auto items = listItems(diagnostics, field, "a list: the program, then its arguments");
    if (items.empty()) {
        if (field.empty() || field.node.IsSequence())
            diagnostics.report(field.mark(), field.path,
                               "expected a list: the program, then its arguments; found an empty list");
        return std::nullopt;
    }
    CommandStep step;
    step.timeout = kDefaultAlertTimeout;
    bool valid = true;
    for (std::size_t index = 0; index < items.size(); ++index) {
        const Field& item = items[index];
        auto text = readText(diagnostics, item, index == 0 ? kProgramExpected : "an argument");
        if (!text) {
            valid = false;
        } else if (index > 0) {
            step.arguments.push_back(*text);
        } else if (isCommand(*text)) {
            step.command = *text;
        } else {
            diagnostics.report(item.mark(), item.path,
                               "expected " + std::string(kProgramExpected) + " as the next items; found " +
                                   describe(item.node));
            valid = false;
        }
    }
    if (!valid) return std::nullopt;
    return step;
}

}  // namespace

EventSettings readEvents(Reader& reader, const Field& field) {
    EventSettings events;
    MappingReader map(reader.diagnostics, field, {"state_log", "alert_command", "alert_timeout"});
    if (!map.isMapping()) return events;
    if (auto stateLog = map.find("state_log")) {
        if (auto path = readAbsolutePath(reader.diagnostics, *stateLog, "/var/log/faxover/state.log"))
            events.stateLog = *path;
    }
    if (auto command = map.find("alert_command")) events.alertCommand = readAlertCommand(reader, *command);
    if (auto timeout = map.find("alert_timeout")) {
        const auto value = readDuration(reader.diagnostics, *timeout, kShortestAlertTimeout, kLongestAlertTimeout);
        if (!map.find("alert_command"))
            reader.diagnostics.report(timeout->mark(), timeout->path,
                                      "alert_timeout without alert_command: there is no command to time out");
        else if (value && events.alertCommand)
            events.alertCommand->timeout = *value;
    }
    return events;
}

}  // namespace faxover::policy::read
