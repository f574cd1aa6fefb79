#pragma once
// Where the one-line-per-state-change record goes. runtime/StandardPorts.h writes it to a stream.
#include "faxover/orchestrator/engine/Decision.h"

namespace faxover::orchestrator::ports {

class StateLog {
public:
    virtual ~StateLog() = default;
    virtual void write(const engine::LogLine& line) = 0;
};

}  // namespace faxover::orchestrator::ports
