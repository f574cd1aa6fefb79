#pragma once
// The fax service's health as `faxover status` shows it: one cell of the services table, and the
// detail of `faxover status SERVICE` (checks, queues, last heartbeat, the escalation).
#include "faxover/orchestrator/api/AdminApi.h"

#include <iosfwd>
#include <string>

namespace faxover::orchestrator {

// "up", "up, quiesced", "down: hylafax.faxq", "no heartbeat 40s ago", "no heartbeat yet"; "-"
// for a service without a guest agent.
std::string faxCell(const api::ServiceView& service, api::WallTime now);

// One service: its state line, then its fax health, one fact per line, and its checks as a table.
void printServiceDetail(const api::ServiceView& service, api::WallTime now, std::ostream& out);

}  // namespace faxover::orchestrator
