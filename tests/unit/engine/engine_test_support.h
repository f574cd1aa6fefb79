#pragma once
// Shared pieces of the [engine] tests.
#include "faxover/orchestrator/engine/Decision.h"

#include <string>

namespace faxover::orchestrator::engine::test {

// A host that answers both signals, with room for a few 1 GiB services.
inline HostObservation healthy(const std::string& name) {
    HostObservation host;
    host.name = name;
    host.health = HostHealthState::Ok;
    host.libvirt = hv::Reachability::Reachable;
    host.freeMemoryMiB = 16384;
    host.cpus = 8;
    return host;
}

}  // namespace faxover::orchestrator::engine::test
