#pragma once
// `faxover completion bash`: a bash completion script for faxover, whose service and host names
// come from the running daemon through `faxover completion names services|hosts [--api ADDRESS]`
// (docs/cli.md).
#include "faxover/orchestrator/api/AdminApi.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace faxover::orchestrator {

// The script `faxover completion bash` prints.
std::string bashCompletionScript();

// One name a line: the services or the hosts `api` reports. False (nothing printed) when the
// daemon does not answer: completion then offers nothing rather than an error.
bool printNames(api::AdminApi& api, const std::string& kind, std::ostream& out);

// `faxover completion ...`: exit status 0, 1 (daemon unreachable), 2 (usage).
int runCompletion(const std::vector<std::string>& arguments);

}  // namespace faxover::orchestrator
