#pragma once
// Runs a licence's apply or revoke program (docs/licensing.md): its arguments from the policy,
// what it acts on in FAXOVER_* environment variables, no stdin, its own process group killed at
// the step's timeout, no descriptor of the daemon inherited.
#include "faxover/orchestrator/ports/LicenceSteps.h"

namespace faxover::orchestrator::licence {

class ProcessLicenceSteps final : public ports::LicenceSteps {
public:
    hv::Result<std::string> run(const ports::LicenceStepRequest& request) override;
};

}  // namespace faxover::orchestrator::licence
