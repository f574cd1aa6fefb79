#pragma once
// `faxover inventory`: what the hypervisor layer sees on each host, for an admin checking that
// Faxover can reach and read every host before writing a policy.
#include "faxover/hypervisor/Hypervisor.h"

#include <ostream>
#include <string>
#include <vector>

namespace faxover::orchestrator {

struct HostArgument;

// Prints reachability, capacity, domains (with migratability) and PCI devices of each host.
// Returns the number of hosts that could not be read (0 = all fine).
int printInventory(hv::Hypervisor& hypervisor, const std::vector<std::string>& hosts, std::ostream& out);

}  // namespace faxover::orchestrator
