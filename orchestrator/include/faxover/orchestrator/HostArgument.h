#pragma once
// A host named on the command line: NAME=URI[@MIGRATION_ADDRESS], e.g.
// lab1=qemu+tcp://198.18.0.11/system@198.18.0.11. A bare URI names itself.
#include "faxover/orchestrator/Error.h"
#include "faxover/hypervisor/Types.h"

#include <string_view>

namespace faxover::orchestrator {

Result<hv::HostConfig> parseHostArgument(std::string_view argument);

}  // namespace faxover::orchestrator
