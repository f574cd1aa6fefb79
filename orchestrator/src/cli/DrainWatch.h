#pragma once
// After `faxover maintenance enable HOST`: follows the drain by polling status() until every
// service that was on HOST has left it (or stays, stopped or suspended), or one ends in error;
// after `maintenance disable HOST`, follows the return to it.
#include "faxover/orchestrator/AdminCli.h"

#include <string>

namespace faxover::orchestrator {

inline constexpr std::chrono::milliseconds kDrainPollInterval{200};

// On a terminal: a progress bar per service, redrawn in place. Otherwise one line per service as
// it finishes, fit for logs. Returns kAdminOk when drained, kAdminRefused when a service ended in
// error, kAdminUnreachable when the daemon stopped answering.
int watchDrain(api::AdminApi& api, const std::string& host, CliConsole& console);

// After `faxover maintenance disable HOST`: follows the services going back to HOST
// (return_after_maintenance) until each runs there or waits elsewhere because HOST cannot take it
// yet; the same display and exit codes as watchDrain.
int watchReturn(api::AdminApi& api, const std::string& host, CliConsole& console);

}  // namespace faxover::orchestrator
