#pragma once
// Files the policy names that hold secrets (fence password files, licence key files) must be
// readable by their owner only: the daemon warns at start and at each reload about those that are
// not.
#include "faxover/policies/Policy.h"

#include <string>
#include <vector>

namespace faxover::orchestrator::fence {

// One warning per secret file that others (group or world) may read, naming who uses it, the file
// and its mode: "host hv1: fence password file /etc/faxover/hv1.pw is readable by group and
// others (mode 0644); chmod 600 it". Files that do not exist are the fence agent's and licence
// step's own errors, not warnings here.
std::vector<std::string> secretFileWarnings(const policy::Policy& policy);

}  // namespace faxover::orchestrator::fence
