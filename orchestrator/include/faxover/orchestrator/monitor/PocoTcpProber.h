#pragma once
// The real TcpProber: one non-blocking connect per target, all in flight together, waited for
// with one Poco PollSet until the shared deadline. See ports/TcpProber.h for what counts as an
// answer, and docs/policy.md (hosts, probe) for why a refusal proves the host alive.
#include "faxover/orchestrator/ports/TcpProber.h"

namespace faxover::orchestrator::monitor {

class PocoTcpProber final : public ports::TcpProber {
public:
    // Host names are resolved first, one after the other, through the system resolver (Poco DNS);
    // a name that does not resolve is silent. A slow resolver adds its time to the call, so the
    // policy's probe addresses are best written as IP addresses.
    std::vector<bool> probe(const std::vector<ports::ProbeTarget>& targets, hv::Duration timeout) override;
};

}  // namespace faxover::orchestrator::monitor
