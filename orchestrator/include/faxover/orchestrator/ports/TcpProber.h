#pragma once
// The second liveness signal (the first is the libvirt connection): a TCP connect to each host's
// management address. An answer of any kind proves the host's kernel is alive: an accepted
// connection or a refusal (RST) both count; only silence (timeout, host or network unreachable)
// counts as missed. So the signal does not depend on libvirtd, and a crashed libvirtd alone never
// fails a host.
#include "faxover/hypervisor/Clock.h"

#include <cstdint>
#include <string>
#include <vector>

namespace faxover::orchestrator::ports {

struct ProbeTarget {
    std::string address{};  // IP address or host name
    std::uint16_t port = 22;
    bool operator==(const ProbeTarget&) const = default;
};

class TcpProber {
public:
    virtual ~TcpProber() = default;
    // Probes every target at once and returns, in the same order, whether each answered within
    // `timeout`. Takes at most about `timeout` however many targets there are.
    virtual std::vector<bool> probe(const std::vector<ProbeTarget>& targets, hv::Duration timeout) = 0;
};

}  // namespace faxover::orchestrator::ports
