#pragma once
// `faxover status` as text: a SERVICES table and a HOSTS table, columns aligned, times as ages.
#include "faxover/orchestrator/api/AdminApi.h"

#include <iosfwd>
#include <string>

namespace faxover::orchestrator {

// "12s", "3m12s", "2h05m", "3d04h": the time from `from` to `to` (0s when `to` is earlier).
std::string durationText(api::WallTime from, api::WallTime to);

// "12s ago", "3m12s ago", "2h05m ago", "3d04h ago"; "-" for a time never set (the epoch).
std::string relativeAge(api::WallTime since, api::WallTime now);

// The FAX column is the guest agent's word on the fax service (cli/FaxOutput.h).
void printStatusTables(const api::ClusterStatus& status, api::WallTime now, std::ostream& out);

}  // namespace faxover::orchestrator
