#include "cli/CliErrors.h"

#include "faxover/orchestrator/AdminCli.h"

#include <ostream>

namespace faxover::orchestrator {

int exitCodeFor(const hv::Error& error) {
    const bool unreachable = error.kind == hv::ErrorKind::HostUnreachable || error.kind == hv::ErrorKind::Timeout;
    return unreachable ? kAdminUnreachable : kAdminRefused;
}

int reportError(const hv::Error& error, std::ostream& err) {
    err << "faxover: " << error.message << '\n';
    return exitCodeFor(error);
}

}  // namespace faxover::orchestrator
