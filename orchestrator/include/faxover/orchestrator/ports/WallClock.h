#pragma once
// The wall time written to the store, the audit log and "since" fields. runtime/StandardPorts.h
// has the system's and a simulated one that follows a ManualClock.
#include <chrono>

namespace faxover::orchestrator::ports {

using WallTime = std::chrono::system_clock::time_point;

class WallClock {
public:
    virtual ~WallClock() = default;
    virtual WallTime now() const = 0;
};

}  // namespace faxover::orchestrator::ports
