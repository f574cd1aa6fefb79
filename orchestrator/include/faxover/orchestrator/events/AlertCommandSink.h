#pragma once
// The alert sink (docs/daemon.md, "Events"): runs the policy's events.alert_command once per event
// of severity alert, the event in FAXOVER_EVENT_* environment variables, no stdin, its own process
// group killed at alert_timeout. Other events are not its business. A command that cannot start,
// fails or times out is reported to `failures` as a warning (never an alert: it would run again).
#include "faxover/orchestrator/ports/EventSink.h"
#include "faxover/policies/Policy.h"

#include <map>
#include <string>

namespace faxover::orchestrator::events {

// FAXOVER_EVENT_KIND, _SEVERITY, _TIME (ISO 8601), _HOST, _SERVICE, _MESSAGE, and one
// FAXOVER_EVENT_FIELD_<NAME> per field, the name upper-cased with '_' for anything not a letter or digit.
std::map<std::string, std::string> eventEnvironment(const engine::Event& event);

class AlertCommandSink final : public ports::EventSink {
public:
    AlertCommandSink(policy::CommandStep command, ports::EventSink& failures)
        : command_(std::move(command)), failures_(failures) {}
    void deliver(const engine::Event& event) override;

private:
    policy::CommandStep command_;
    ports::EventSink& failures_;
};

}  // namespace faxover::orchestrator::events
