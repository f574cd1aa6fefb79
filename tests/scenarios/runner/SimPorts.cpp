#include "SimPorts.h"

namespace faxover::scenario {

std::vector<bool> SimTcpProber::probe(const std::vector<orchestrator::ports::ProbeTarget>& targets, hv::Duration) {
    std::vector<bool> answered;
    for (const auto& target : targets) {
        auto it = hostOfAddress_.find(target.address);
        answered.push_back(it != hostOfAddress_.end() && faults_.answers(it->second));
    }
    return answered;
}

hv::Result<orchestrator::ports::FenceConfirmation> SimFenceAgent::powerOff(const policy::HostPolicy& host,
                                                                           const policy::FenceLevel& level) {
    if (auto& left = failuresLeft_[host.name]; left > 0) {
        --left;
        return hv::Error{hv::ErrorKind::OperationFailed,
                         level.command + " " + host.name + ": off exited 1 (BMC does not answer)", host.name};
    }
    BOOST_OUTCOME_TRY(hypervisor_.powerOff(host.name));
    faults_.poweredOff.insert(host.name);
    return orchestrator::ports::FenceConfirmation{level.command + ": off exit 0; status exit 2 (Status: OFF)"};
}

}  // namespace faxover::scenario
