#pragma once
// `faxover boards` as text (its JSON is the wire's, api/Json.h).
#include "faxover/orchestrator/api/AdminApi.h"

#include <iosfwd>
#include <vector>

namespace faxover::orchestrator {

// The boards' table (HOST ADDRESS MODEL TRUNK DRIVER HOLDER STATE), then one line per board that
// cannot be used (missing, wrong-device, unmapped, not-inventoried) saying why.
void printBoardTable(const std::vector<api::BoardView>& boards, std::ostream& out);

}  // namespace faxover::orchestrator
