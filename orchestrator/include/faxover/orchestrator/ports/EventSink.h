#pragma once
// Where the engine's and the runtime's events go (docs/daemon.md, "Events"): the state log, the
// admin's alert command, later metrics and the console. The runtime hands every event to one sink,
// the EventQueue (runtime/EventQueue.h), which passes it to the policy's sinks on a thread of its
// own: a sink may block (a file, a program), the decision never waits for it.
#include "faxover/orchestrator/engine/Event.h"

namespace faxover::orchestrator::ports {

class EventSink {
public:
    virtual ~EventSink() = default;
    // Must not throw. A sink reports its own failures as events of severity warning, never alert
    // (an alert sink that fails would otherwise alert about itself without end).
    virtual void deliver(const engine::Event& event) = 0;
};

}  // namespace faxover::orchestrator::ports
