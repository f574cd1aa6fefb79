#include "cli/CliErrors.h"

#include <ostream>

namespace faxover::orchestrator {

int reportError(const Error& error, std::ostream& err) {
    err << "faxover: " << error.message << '\n';
    return exitCodeOf(error.kind);
}

}  // namespace faxover::orchestrator
