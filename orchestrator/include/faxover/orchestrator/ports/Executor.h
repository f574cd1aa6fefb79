#pragma once
// Where blocking work runs (migrations, fence agents, starts, monitor readings): away from the
// thread that decides. runtime/StandardPorts.h has the daemon's thread pool and the simulator's queue.
#include <functional>

namespace faxover::orchestrator::ports {

class Executor {
public:
    virtual ~Executor() = default;
    virtual void submit(std::function<void()> work) = 0;
};

}  // namespace faxover::orchestrator::ports
