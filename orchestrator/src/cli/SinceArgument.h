#pragma once
// `faxover license audit --since T`: an ISO 8601 date or date-time with its zone
// (api::parseIsoInstant), or a span back from now: a whole number and s, m, h, d or w ("24h", "7d").
#include "faxover/orchestrator/Error.h"
#include "faxover/orchestrator/AdminCli.h"

#include <optional>
#include <string_view>

namespace faxover::orchestrator {

// BadRequest saying what was wrong and what is accepted.
Result<AuditSince> parseSinceArgument(std::string_view text);

// The instant `since` means when the command runs at `now`; unset for "everything".
std::optional<api::WallTime> resolveSince(const AuditSince& since, api::WallTime now);

}  // namespace faxover::orchestrator
