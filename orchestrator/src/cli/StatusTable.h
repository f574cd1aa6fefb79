#pragma once
// `faxover status` as text: a SERVICES table and a HOSTS table, columns aligned, times as ages.
#include "faxover/orchestrator/api/AdminApi.h"

#include <iosfwd>
#include <string>

namespace faxover::orchestrator {

// "12s ago", "3m12s ago", "2h05m ago", "3d04h ago"; "-" for a time never set (the epoch).
std::string relativeAge(api::WallTime since, api::WallTime now);

void printStatusTables(const api::ClusterStatus& status, api::WallTime now, std::ostream& out);

}  // namespace faxover::orchestrator
