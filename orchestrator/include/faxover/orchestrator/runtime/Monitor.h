#pragma once
// One monitoring round: both liveness signals of every host (the hypervisor layer's connection
// and a TCP probe of the management address), what each reachable host runs, its free capacity,
// and, once per (service, host, domain), the protected domain's definition and migratability.
// Blocking (about one probe timeout); holds no runtime lock, so it runs on the monitor loop.
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/orchestrator/ports/GuestHealthProbe.h"
#include "faxover/orchestrator/ports/TcpProber.h"
#include "faxover/orchestrator/runtime/Runtime.h"
#include "faxover/policies/Policy.h"

#include <map>
#include <string>
#include <tuple>

namespace faxover::orchestrator::runtime {

// The service of the policy that protects this domain, or nullptr.
const policy::ServicePolicy* serviceOfDomain(const policy::Policy& policy, const std::string& name,
                                             const std::string& uuid);

class Monitor {
public:
    // `guests` may be null: no guest health hook (until the faxguest issue provides one).
    Monitor(hv::Hypervisor& hypervisor, ports::TcpProber& prober, ports::GuestHealthProbe* guests = nullptr);
    RoundObservation collect(const policy::Policy& policy);

private:
    hv::Hypervisor& hypervisor_;
    ports::TcpProber& prober_;
    ports::GuestHealthProbe* guests_;
    std::map<std::pair<std::string, std::string>, std::string> detailsRead_;  // (service, host) -> uuid
};

}  // namespace faxover::orchestrator::runtime
