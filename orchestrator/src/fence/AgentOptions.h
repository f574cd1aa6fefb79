#pragma once
// What goes into a fence agent run besides the process itself: the program's path and the
// key=value lines for its stdin. Private to the fence module.
#include "faxover/hypervisor/Result.h"
#include "faxover/policies/Policy.h"

#include <string>
#include <vector>

namespace faxover::orchestrator::fence {

// level.command as an absolute path: itself when absolute, else found in the daemon's PATH.
// InvalidArgument when missing or not executable.
hv::Result<std::string> findAgentProgram(const policy::FenceLevel& level, const std::string& host);

// "action=ACTION", then each parameter, then "password=..." read from level.passwordFile (its
// first line) when one is set; one per line. InvalidArgument for an unreadable password file or a
// value with a line break (it would smuggle in an option of its own).
hv::Result<std::string> agentInput(const policy::FenceLevel& level, const std::string& action,
                                   const std::string& host);

// What must never appear in the agent's output once logged: the password file's contents and the
// values of parameters whose names say they are secret (passwd, password, secret, token, key...).
std::vector<std::string> agentSecrets(const policy::FenceLevel& level);

}  // namespace faxover::orchestrator::fence
