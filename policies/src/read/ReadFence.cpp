#include "read/Scalars.h"
#include "read/Sections.h"
#include "read/Syntax.h"

#include <algorithm>

namespace faxover::policy::read {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds kShortestFenceTimeout{1000};
constexpr milliseconds kLongestFenceTimeout{10 * 60 * 1000};
constexpr int kMostAttempts = 10;
constexpr std::int64_t kHighestPort = 65535;
constexpr std::string_view kWitnessAddressExpected = "a host name or IP address, with no scheme or port";

// Passwords in a policy file end up in backups, diffs and bug reports.
constexpr std::string_view kInlinePasswordRefused =
    "inline passwords are refused: write the password to a file readable only by root and name it with "
    "parameters.password_file, e.g. password_file: /etc/faxover/secrets/hv1.password";

const MappingReader::KeyHints kPasswordHints{{"password", kInlinePasswordRefused}, {"passwd", kInlinePasswordRefused}};

const std::vector<std::string> kAllLevelKeys{"method", "command", "parameters", "timeout", "instructions"};

std::vector<std::string> keysFor(FenceMethod method) {
    switch (method) {
        case FenceMethod::Agent: return {"method", "command", "parameters", "timeout"};
        case FenceMethod::LibvirtDestroy: return {"method", "timeout"};
        case FenceMethod::Manual: return {"method", "instructions"};
    }
    return {};
}

bool isParameterName(std::string_view text) {
    if (text.empty() || text.size() > 63 || !(text.front() >= 'a' && text.front() <= 'z')) return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

void readCommand(Reader& reader, const MappingReader& map, FenceLevel& level) {
    constexpr std::string_view kExpected =
        "a fence agent: a program name such as fence_ipmilan or an absolute path, without arguments (those go "
        "under parameters)";
    auto field = map.require("command", kExpected);
    if (!field) return;
    auto text = readText(reader.diagnostics, *field, kExpected);
    if (!text) return;
    if (!isCommand(*text)) {
        reader.diagnostics.report(field->mark(), field->path,
                                  "expected " + std::string(kExpected) + "; found " + describe(field->node));
        return;
    }
    level.command = *text;
}

// Agent options in fence-agents style (ip, username, plug, lanplus, ...), given to the agent on
// stdin as key=value lines. Open-ended, because every agent has its own; what is checked is what
// Faxover itself relies on.
void readParameters(Reader& reader, const Field& field, FenceLevel& level) {
    Diagnostics& diagnostics = reader.diagnostics;
    for (auto& [name, value] : openMappingEntries(diagnostics, field, "fence agent options (ip, username, ...)")) {
        if (name == "password" || name == "passwd") {
            diagnostics.report(value.keyMark, value.path, std::string(kInlinePasswordRefused));
        } else if (name == "action") {
            diagnostics.report(value.keyMark, value.path,
                               "the orchestrator chooses the action (off, status, ...) each time it fences; remove it");
        } else if (!isParameterName(name)) {
            diagnostics.report(value.keyMark, value.path,
                               "expected an option name of lower-case letters, digits, '_' or '-'; found " +
                                   quoteForMessage(name));
        } else if (name == "password_file") {
            if (auto path = readAbsolutePath(diagnostics, value, "/etc/faxover/secrets/hv1.password")) {
                level.passwordFile = *path;
            }
        } else if (auto text = readText(diagnostics, value, "the option's value (a string, number or switch)")) {
            level.parameters[name] = *text;
        }
    }
}

// `methodRead` tells a level whose method was read from one left at the default after an error.
FenceLevel readLevel(Reader& reader, const Field& field, const FencingSettings& settings, bool& methodRead) {
    Diagnostics& diagnostics = reader.diagnostics;
    methodRead = false;
    FenceLevel level;
    level.timeout = settings.timeout;
    MappingReader map(diagnostics, field, kAllLevelKeys, kPasswordHints);
    if (!map.isMapping()) return level;
    auto methodField = map.require("method", "one of agent, libvirt-destroy, manual");
    if (!methodField) return level;
    auto method = readChoice(diagnostics, *methodField,
                             {FenceMethod::Agent, FenceMethod::LibvirtDestroy, FenceMethod::Manual});
    if (!method) return level;  // the other keys depend on the method: nothing more can be checked
    level.method = *method;
    methodRead = true;
    const auto allowed = keysFor(*method);
    for (const auto& key : map.presentKeys()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        auto misplaced = map.find(key);
        diagnostics.report(misplaced->keyMark, misplaced->path,
                           "does not apply to fence method " + std::string(toString(*method)) + "; expected one of " +
                               joinNames(allowed));
    }
    if (*method == FenceMethod::Agent) {
        readCommand(reader, map, level);
        if (auto parameters = map.find("parameters")) readParameters(reader, *parameters, level);
    }
    if (*method != FenceMethod::Manual) {
        if (auto timeout = map.find("timeout")) {
            if (auto value = readDuration(diagnostics, *timeout, kShortestFenceTimeout, kLongestFenceTimeout)) {
                level.timeout = *value;
            }
        }
    }
    if (*method == FenceMethod::Manual) {
        if (auto instructions = map.find("instructions")) {
            if (auto text = readText(diagnostics, *instructions, "text for the admin who confirms the host is off")) {
                level.instructions = *text;
            }
        }
    }
    return level;
}

// The witness says the orchestrator is on the network, nothing about the hosts: an accept or a
// reset both count, as for a host's probe.
Witness readWitness(Reader& reader, const Field& field) {
    Witness witness;
    MappingReader map(reader.diagnostics, field, {"address", "port"});
    if (!map.isMapping()) return witness;
    if (auto address = map.require("address", kWitnessAddressExpected)) {
        if (auto text = readNetworkAddress(reader.diagnostics, *address, kWitnessAddressExpected)) {
            witness.address = *text;
        }
    }
    if (auto port = map.find("port")) {
        if (auto value = readInteger(reader.diagnostics, *port, 1, kHighestPort)) {
            witness.port = static_cast<std::uint16_t>(*value);
        }
    }
    return witness;
}

}  // namespace

FencingSettings readFencingSettings(Reader& reader, const Field& field) {
    FencingSettings settings;
    MappingReader map(reader.diagnostics, field, {"timeout", "attempts", "witness"});
    if (auto timeout = map.find("timeout")) {
        if (auto value = readDuration(reader.diagnostics, *timeout, kShortestFenceTimeout, kLongestFenceTimeout)) {
            settings.timeout = *value;
        }
    }
    if (auto attempts = map.find("attempts")) {
        if (auto value = readInteger(reader.diagnostics, *attempts, 1, kMostAttempts)) {
            settings.attempts = static_cast<int>(*value);
        }
    }
    if (auto witness = map.find("witness")) settings.witness = readWitness(reader, *witness);
    return settings;
}

std::vector<FenceLevel> readFence(Reader& reader, const Field& field, const FencingSettings& settings) {
    // One level as a mapping, or several as a list tried in order.
    const std::vector<Field> levelFields = field.node.IsSequence()
                                               ? listItems(reader.diagnostics, field, "fence levels")
                                               : std::vector<Field>{field};
    if (levelFields.empty()) {
        reader.diagnostics.report(field.mark(), field.path,
                                  "expected at least one fence level (method: agent, libvirt-destroy or manual); "
                                  "found an empty list");
    }
    std::vector<FenceLevel> levels;
    std::vector<bool> methodsRead;
    for (const Field& levelField : levelFields) {
        bool methodRead = false;
        levels.push_back(readLevel(reader, levelField, settings, methodRead));
        methodsRead.push_back(methodRead);
    }
    // A manual level waits for an admin for as long as it takes: a level after it would never run.
    for (std::size_t i = 0; i + 1 < levels.size(); ++i) {
        if (methodsRead[i] && levels[i].method == FenceMethod::Manual) {
            reader.diagnostics.reportAt(childPath(levelFields[i].path, "method"),
                                        "expected manual only as the last fence level: it waits for an admin, so "
                                        "the levels after it would never run");
        }
    }
    return levels;
}

}  // namespace faxover::policy::read
