#pragma once
// How the admin CLI reports an error from the AdminApi, and the exit code it means.
#include "faxover/hypervisor/Result.h"

#include <iosfwd>

namespace faxover::orchestrator {

// kAdminUnreachable when the daemon could not be reached or stopped answering, else kAdminRefused.
int exitCodeFor(const hv::Error& error);

// Prints "faxover: MESSAGE" to `err` and returns exitCodeFor(error).
int reportError(const hv::Error& error, std::ostream& err);

}  // namespace faxover::orchestrator
