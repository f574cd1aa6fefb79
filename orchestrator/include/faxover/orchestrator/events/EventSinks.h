#pragma once
// The sinks a policy's `events` section asks for (docs/daemon.md, "Events"), built at start and
// again on every SIGHUP: the state log (events.state_log, appended to, or `standardOutput`) and,
// when events.alert_command is set, the alert command.
#include "faxover/hypervisor/Result.h"
#include "faxover/orchestrator/runtime/EventQueue.h"
#include "faxover/policies/Policy.h"

#include <ostream>

namespace faxover::orchestrator::events {

// Errors: InvalidArgument when the state log cannot be opened for appending (with the reason).
// `failures` is told when the alert command fails (AlertCommandSink.h).
hv::Result<runtime::EventSinks> makeEventSinks(const policy::EventSettings& settings, std::ostream& standardOutput,
                                               ports::EventSink& failures);

}  // namespace faxover::orchestrator::events
