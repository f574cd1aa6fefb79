#include "faxover/orchestrator/telco/ProcessTelcoHooks.h"

#include "process/ChildProcess.h"

namespace faxover::orchestrator::telco {

hv::Result<std::string> ProcessTelcoHooks::run(const ports::BoardMove& move) {
    const std::map<std::string, std::string> environment{
        {"FAXOVER_EVENT", "board-move"},        {"FAXOVER_SERVICE", move.service},
        {"FAXOVER_DOMAIN", move.domain},        {"FAXOVER_FROM_HOST", move.fromHost},
        {"FAXOVER_FROM_BOARD", move.fromBoard}, {"FAXOVER_TO_HOST", move.toHost},
        {"FAXOVER_TO_BOARD", move.toBoard},     {"FAXOVER_TRUNK_GROUP", move.trunkGroup},
    };
    return process::runCommandStep("telco hook of " + move.service, *move.hook, environment);
}

}  // namespace faxover::orchestrator::telco
