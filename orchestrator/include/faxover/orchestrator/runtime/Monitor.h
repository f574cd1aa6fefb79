#pragma once
// One monitoring round: both liveness signals of every host, what each reachable host runs, its
// free capacity, and, once per (service, host, domain), the protected domain's definition and
// migratability. Blocking (about one probe timeout); never touches the runtime's state.
//
// The libvirt signal is active, like the TCP one: a host's libvirt answers in a round only if its
// domain listing comes back within the probe timeout. The connection's own state lags a dead host
// by the keepalive (2-3 s); an unanswered listing is seen in the first round. Readings run on
// their own executor so that a hung host holds one thread, not the round; while a host's previous
// reading is still out, its libvirt signal stays silent and no second call is made. A domain's
// details are read after the listing and never count toward it (libvirt holds them while a job
// runs on the domain); late ones are handed over in a later round.
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/orchestrator/ports/GuestHealthProbe.h"
#include "faxover/orchestrator/ports/TcpProber.h"
#include "faxover/orchestrator/runtime/StandardPorts.h"
#include "faxover/orchestrator/runtime/Runtime.h"
#include "faxover/policies/Policy.h"

#include <future>
#include <map>
#include <memory>
#include <string>
#include <tuple>

namespace faxover::orchestrator::runtime {

// The service of the policy that protects this domain, or nullptr.
const policy::ServicePolicy* serviceOfDomain(const policy::Policy& policy, const std::string& name,
                                             const std::string& uuid);

class Monitor {
public:
    // `readings` null: each host is read inline, without a deadline (deterministic simulations).
    // `guests` null: no guest health hook (until the faxguest issue provides one).
    Monitor(hv::Hypervisor& hypervisor, ports::TcpProber& prober, Executor* readings = nullptr,
            ports::GuestHealthProbe* guests = nullptr);
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    RoundObservation collect(const std::shared_ptr<const policy::Policy>& policy);

    // A running domain no service protects, with the PCI devices its definition passes through.
    struct OtherVm {
        std::string name;
        std::vector<std::string> pciHostdevs;
    };
    using OtherVms = std::map<std::string, OtherVm>;  // by UUID

private:
    struct Reading;
    struct HostReading;  // a Reading and, after it, the domains' details
    HostReading startReading(std::shared_ptr<const policy::Policy> policy, const std::string& host, bool readDetails);
    // Details read for `host` whose domain `listing` still shows in the state they were read in.
    void takeDetails(const std::string& host, const std::vector<DomainDetails>& read,
                     const std::optional<std::vector<hv::DomainInfo>>& listing, RoundObservation& round);
    void forgetDetailsGoneFrom(const std::string& host, const std::vector<hv::DomainInfo>& listing,
                               const policy::Policy& policy);

    hv::Hypervisor& hypervisor_;
    ports::TcpProber& prober_;
    Executor* readings_;
    ports::GuestHealthProbe* guests_;
    std::map<std::string, std::shared_future<Reading>> outstanding_;          // host -> reading still out
    std::map<std::string, std::shared_future<std::vector<DomainDetails>>> detailsOut_;  // host -> details read still out
    // What a domain's details were read from: they are read again when the domain is another one,
    // changed state (a migration's destination is paused until the switch-over) or left the host's
    // active listing (stopped, redefined, migrated away) and came back.
    struct DetailsRead {
        std::string uuid{};
        hv::DomainState state{};
        bool operator==(const DetailsRead&) const = default;
    };
    std::map<std::pair<std::string, std::string>, DetailsRead> detailsRead_;  // (service, host)
    std::map<std::string, OtherVms> otherVms_;  // host -> what the last round found there
};

}  // namespace faxover::orchestrator::runtime
