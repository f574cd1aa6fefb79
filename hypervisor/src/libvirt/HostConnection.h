#pragma once
// One host's libvirt connection, kept alive by its own supervisor thread: it opens the connection
// (after a bounded TCP probe, since virConnectOpen has no timeout), enables keepalive, registers the
// close and lifecycle callbacks, and after any loss reconnects with exponential backoff. Every
// reachability change is reported once, with the time it happened and why.
//
// A wedged host (TCP accepts, libvirtd never answers) can hold the supervisor inside
// virConnectOpen indefinitely. So everything the thread and libvirt's callbacks touch lives in a
// shared State they co-own; the destructor stops listener delivery at once, waits a bounded time
// for the thread, and otherwise abandons it: the thread finishes (and closes its connection) on its
// own whenever libvirt returns, touching nothing but that State.
#include "faxover/hypervisor/LibvirtHypervisor.h"
#include "faxover/hypervisor/Result.h"
#include "faxover/hypervisor/Types.h"
#include "libvirt/Handles.h"

#include <functional>
#include <memory>
#include <thread>

namespace faxover::hv::libvirt {

struct HostListener {
    std::function<void(const HostEvent&)> onStatus;
    std::function<void(const DomainEvent&)> onDomainEvent;
};

class HostConnection {
public:
    HostConnection(HostConfig config, ConnectionSettings settings, HostListener listener);
    // Returns within about settings.abandonSupervisorAfter, even for a wedged host.
    ~HostConnection();
    HostConnection(const HostConnection&) = delete;
    HostConnection& operator=(const HostConnection&) = delete;

    const HostConfig& config() const;
    HostStatus status() const;
    // True once the supervisor has finished its first attempt, whatever the outcome.
    bool triedOnce() const;

    // A reference to the live connection, or HostUnreachable.
    Result<ConnectionRef> acquire() const;
    // A call failed in a way that suggests the connection is dead: let the supervisor check now.
    void reportSuspectedLoss();

private:
    struct State;
    std::shared_ptr<State> state_;
    std::jthread supervisor_;
};

}  // namespace faxover::hv::libvirt
