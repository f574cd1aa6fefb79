#pragma once
// The port through which the runtime runs a licence's apply and revoke steps (issue #4,
// docs/licensing.md). The real implementation runs the policy's program with Boost.Process;
// scenario tests use a simulated one. Blocking: called from a worker, never while deciding.
#include "faxover/hypervisor/Result.h"
#include "faxover/policies/Policy.h"

#include <string>

namespace faxover::orchestrator::ports {

enum class LicenceEvent { Apply, Revoke };

struct LicenceStepRequest {
    LicenceEvent event = LicenceEvent::Apply;
    const policy::Licence* licence = nullptr;  // its apply or revoke step is the one to run
    std::string service{};     // the instance that takes or gives back the seat
    std::string onBehalfOf{};  // a standby stands in for this primary ("" when its own seat)
    std::string domain{};      // the service's domain (name or UUID as the policy names it)
    std::string host{};
    std::string hostUri{};
};

class LicenceSteps {
public:
    virtual ~LicenceSteps() = default;
    // The step's last line of output on success. Errors: Timeout (killed at the step's timeout),
    // OperationFailed (non-zero exit; the message carries the status and the last line),
    // InvalidArgument (program not found or not executable).
    virtual hv::Result<std::string> run(const LicenceStepRequest& request) = 0;
};

}  // namespace faxover::orchestrator::ports
