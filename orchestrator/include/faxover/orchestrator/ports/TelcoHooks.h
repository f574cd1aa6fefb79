#pragma once
// The port through which the runtime runs a service's telco hook after its fax board moved to
// another host (issue #5, docs/boards.md): the T1/PRI reroute, EAR or DID move that happens outside
// the VM. The real implementation runs the policy's program with Boost.Process; scenario tests use
// a simulated one. Blocking: called from a worker, never while deciding.
#include "faxover/hypervisor/Result.h"
#include "faxover/policies/Policy.h"

#include <string>

namespace faxover::orchestrator::ports {

struct BoardMove {
    const policy::CommandStep* hook = nullptr;  // the service's telco_hook
    std::string service{};
    std::string domain{};      // as the policy names it
    std::string fromHost{};
    std::string fromBoard{};   // PCI address on fromHost
    std::string toHost{};
    std::string toBoard{};     // PCI address on toHost
    std::string trunkGroup{};  // the service's, "" when it names none
};

class TelcoHooks {
public:
    virtual ~TelcoHooks() = default;
    // The hook's last line of output on success. Errors as for LicenceSteps::run: Timeout,
    // OperationFailed (non-zero exit), InvalidArgument (program not found).
    virtual hv::Result<std::string> run(const BoardMove& move) = 0;
};

}  // namespace faxover::orchestrator::ports
