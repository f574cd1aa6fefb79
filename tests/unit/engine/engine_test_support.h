#pragma once
// Shared pieces of the [engine] tests.
#include "faxover/orchestrator/engine/Decision.h"

#include <initializer_list>
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

// `service` (1 GiB, 1 vCPU) remembered ok on `host`, as a decision before left it.
inline void rememberRunning(EngineInput& input, const std::string& service, const std::string& host) {
    input.services[service].memoryMiB = 1024;
    input.services[service].vcpus = 1;
    ServiceMemory memory;
    memory.state = ServiceState::Ok;
    memory.host = host;
    input.memory[service] = memory;
}

// Hosts of the policy, each fenced by an agent, and healthy in the input.
inline void addHealthyHosts(policy::Policy& policy, EngineInput& input, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        policy::HostPolicy host;
        host.name = name;
        host.fence = {policy::FenceLevel{policy::FenceMethod::Agent, "fence_test"}};
        policy.hosts.push_back(host);
        input.hosts[name] = healthy(name);
    }
}

}  // namespace faxover::orchestrator::engine::test
