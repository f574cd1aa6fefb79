#include "SimPorts.h"

namespace faxover::scenario {

std::vector<bool> SimTcpProber::probe(const std::vector<orchestrator::ports::ProbeTarget>& targets, hv::Duration) {
    std::vector<bool> answered;
    for (const auto& target : targets) {
        // An address that is no host's is the policy's witness.
        auto it = hostOfAddress_.find(target.address);
        answered.push_back(it != hostOfAddress_.end() ? faults_.answers(it->second) : faults_.witnessAnswers());
        if (it == hostOfAddress_.end() || faults_.orchestratorCut) continue;
        // The round's libvirt signal is read beside this probe: either one answering counts.
        if (faults_.answersButForTheOrchestrator(it->second)) faults_.answeredLastRound.insert(it->second);
        else faults_.answeredLastRound.erase(it->second);
    }
    return answered;
}

hv::Result<orchestrator::ports::FenceConfirmation> SimFenceAgent::powerOff(const policy::HostPolicy& host,
                                                                           const policy::FenceLevel& level) {
    if (faults_.fenceWouldBreakIsolation(host.name))
        isolationViolations_.push_back("INVARIANT VIOLATED: " + host.name +
                                       " fenced while powered and connected, with only the orchestrator's link down");
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
