#pragma once
// Runs a service's telco hook after a board move (docs/boards.md): its arguments from the policy,
// the move in FAXOVER_* environment variables, no stdin, its own process group killed at the
// hook's timeout, no descriptor of the daemon inherited.
#include "faxover/orchestrator/ports/TelcoHooks.h"

namespace faxover::orchestrator::telco {

class ProcessTelcoHooks final : public ports::TelcoHooks {
public:
    hv::Result<std::string> run(const ports::BoardMove& move) override;
};

}  // namespace faxover::orchestrator::telco
