#pragma once
// `faxover license status` and `faxover license audit` as text and CSV (their JSON is the wire's,
// api/Json.h).
#include "faxover/orchestrator/api/AdminApi.h"

#include <iosfwd>
#include <vector>

namespace faxover::orchestrator {

// Per licence a line "ID  product P  seats USED/TOTAL used[, N free]", then its holders' table.
void printLicenceTables(const std::vector<api::LicenceView>& licences, api::WallTime now, std::ostream& out);

// One row per entry, times in the wire's ISO 8601 UTC; line breaks in a cell become spaces.
void printAuditTable(const std::vector<api::LicenceAuditEntry>& entries, std::ostream& out);

// RFC 4180: a header row, CRLF line ends, a field quoted (quotes doubled) when it holds a comma,
// a quote, CR or LF.
void printAuditCsv(const std::vector<api::LicenceAuditEntry>& entries, std::ostream& out);

}  // namespace faxover::orchestrator
