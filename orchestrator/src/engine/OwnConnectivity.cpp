#include "faxover/orchestrator/engine/OwnConnectivity.h"

namespace faxover::orchestrator::engine {

namespace {

bool silenceExplained(const HostObservation& host) {
    // A host that announced its planned shutdown or reboot is expected to fall silent.
    return host.fence == FenceStatus::Confirmed || host.maintenance || host.monitoringSuspended ||
           host.planned.has_value();
}

}  // namespace

OwnConnectivity assessOwnConnectivity(const policy::Policy& policy, const std::map<std::string, HostObservation>& hosts,
                                      bool witnessAnswered) {
    OwnConnectivity connectivity;
    connectivity.witnessNamed = policy.fencing.witness.has_value();
    connectivity.witnessAnswered = connectivity.witnessNamed && witnessAnswered;
    for (const auto& hostPolicy : policy.hosts) {
        const auto seen = hosts.find(hostPolicy.name);
        const bool silent = seen == hosts.end() || seen->second.missedRounds > 0;
        // An answering host always votes: it proves the orchestrator reaches the network.
        if (silent && seen != hosts.end() && silenceExplained(seen->second)) continue;
        ++connectivity.hostsVoting;
        if (silent) ++connectivity.hostsSilent;
    }
    const int answered = connectivity.hostsVoting - connectivity.hostsSilent;
    connectivity.confirmed = connectivity.witnessAnswered || 2 * answered > connectivity.hostsVoting;
    return connectivity;
}

std::string OwnConnectivity::describe() const {
    const std::string hostsPart = std::to_string(hostsSilent) + " of " + std::to_string(hostsVoting) + " hosts";
    if (confirmed) {
        return witnessAnswered ? hostsPart + " silent, the witness answers" : hostsPart + " silent";
    }
    return witnessNamed ? hostsPart + " and the witness silent" : hostsPart + " silent and no witness named";
}

}  // namespace faxover::orchestrator::engine
