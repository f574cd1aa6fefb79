// A program the orchestrator runs at a step of its work: licence apply/revoke steps and a board
// service's telco hook share one format (docs/policy.md, "A step").
#include "read/Scalars.h"
#include "read/Sections.h"

#include <chrono>

namespace faxover::policy::read {

namespace {

constexpr std::chrono::milliseconds kShortestStepTimeout{1000};
constexpr std::chrono::milliseconds kLongestStepTimeout{600000};

}  // namespace

CommandStep readCommandStep(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    CommandStep step;
    MappingReader map(diagnostics, field, {"command", "arguments", "timeout"});
    if (!map.isMapping()) return step;
    constexpr std::string_view kExpected =
        "a program name or an absolute path, without arguments (those go under arguments)";
    if (auto command = map.require("command", kExpected)) {
        if (auto text = readTextWhere(diagnostics, *command, kExpected, isCommand)) step.command = *text;
    }
    if (auto arguments = map.find("arguments")) {
        for (const Field& item : listItems(diagnostics, *arguments, "arguments"))
            if (auto text = readText(diagnostics, item, "an argument")) step.arguments.push_back(*text);
    }
    if (auto timeout = map.find("timeout")) {
        if (auto value = readDuration(diagnostics, *timeout, kShortestStepTimeout, kLongestStepTimeout)) step.timeout = *value;
    }
    return step;
}

}  // namespace faxover::policy::read
