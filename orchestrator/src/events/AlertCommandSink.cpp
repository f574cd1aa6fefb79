#include "faxover/orchestrator/events/AlertCommandSink.h"

#include "faxover/orchestrator/runtime/StandardPorts.h"
#include "process/ChildProcess.h"

#include <cctype>

namespace faxover::orchestrator::events {

namespace {

std::string variableName(const std::string& field) {
    std::string name = "FAXOVER_EVENT_FIELD_";
    for (const char c : field)
        name += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : '_';
    return name;
}

}  // namespace

std::map<std::string, std::string> eventEnvironment(const engine::Event& event) {
    std::map<std::string, std::string> environment{
        {"FAXOVER_EVENT_KIND", engine::toString(event.kind)},
        {"FAXOVER_EVENT_SEVERITY", engine::toString(event.severity)},
        {"FAXOVER_EVENT_TIME", runtime::isoTimestamp(event.time)},
        {"FAXOVER_EVENT_HOST", event.host},
        {"FAXOVER_EVENT_SERVICE", event.service},
        {"FAXOVER_EVENT_MESSAGE", event.message},
    };
    for (const auto& [name, value] : event.fields) environment.emplace(variableName(name), value);
    return environment;
}

void AlertCommandSink::deliver(const engine::Event& event) {
    if (!event.isAlert()) return;
    const auto ran = process::runCommandStep("alert command", command_, eventEnvironment(event));
    if (ran) return;
    engine::Event failure = engine::Event::about(engine::EventKind::Daemon,
                                                 "alert command for '" + event.text() + "': " + ran.error().message)
                                .with("error", ran.error().message)
                                .warning();
    failure.time = event.time;
    failures_.deliver(failure);
}

}  // namespace faxover::orchestrator::events
