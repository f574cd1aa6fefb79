#pragma once
// cluster.yaml: the simulated hardware and what runs where when a scenario begins.
//
//   hosts:                       # every host of the policy, with its hardware
//     - { name: lab1, cpus: 8, memory_mib: 16384 }
//     - { name: lab9, address: 10.0.0.9 }        # not in the policy yet (a reload adds it)
//     - { name: lab2, boards: [0000:03:00.0] }   # simulated Brooktrout TR1034s (0x12e4:0x4d01, driver brooktrout)
//     - name: lab3                               # another model: vendor, device, driver (each optional)
//       boards: [{ address: 0000:04:00.0, vendor: 0x12c7, device: 0x5001, driver: dlgc }]
//   domains:                     # fax VMs; template is a file in tests/scenarios/domains/
//     - { name: fax-a, template: fax-1g, host: lab1, running: true }
//     - { name: fax-b, template: fax-board, host: lab3, board: 0000:04:00.0 }  # the template's hostdev moved
//   shared_storage: [/shared]    # disks under these paths do not block live migration
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/policies/Policy.h"

#include <map>
#include <string>

namespace faxover::scenario {

struct Cluster {
    std::map<std::string, std::string> hostOfProbeAddress;  // for the simulated TCP prober
};

// Adds the hosts and domains to `hypervisor`. Errors name the file, line and column.
hv::Result<Cluster> buildCluster(const std::string& path, const policy::Policy& policy,
                                 hv::sim::SimulatedHypervisor& hypervisor);

}  // namespace faxover::scenario
