#pragma once
// How the admin CLI reports an error from the AdminApi, and the exit code it means.
#include "faxover/orchestrator/Error.h"

#include <iosfwd>

namespace faxover::orchestrator {

// Prints "faxover: MESSAGE" to `err` and returns the error kind's exit code (exitCodeOf).
int reportError(const Error& error, std::ostream& err);

}  // namespace faxover::orchestrator
