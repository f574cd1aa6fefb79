#pragma once
// One host's libvirt connection, kept alive by its own supervisor thread: it opens the connection
// (after a bounded TCP probe, since virConnectOpen has no timeout), enables keepalive, registers the
// close and lifecycle callbacks, and after any loss reconnects with exponential backoff. Every
// reachability change is reported once, with the time it happened and why.
#include "faxover/hypervisor/Clock.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"
#include "faxover/hypervisor/Result.h"
#include "faxover/hypervisor/Types.h"
#include "libvirt/Handles.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

namespace faxover::hv::libvirt {

struct HostListener {
    std::function<void(const HostEvent&)> onStatus;
    std::function<void(const DomainEvent&)> onDomainEvent;
};

class HostConnection {
public:
    HostConnection(HostConfig config, ConnectionSettings settings, HostListener listener);
    ~HostConnection();
    HostConnection(const HostConnection&) = delete;
    HostConnection& operator=(const HostConnection&) = delete;

    const HostConfig& config() const { return config_; }
    HostStatus status() const;
    // True once the supervisor has finished its first attempt, whatever the outcome.
    bool triedOnce() const;

    // A reference to the live connection, or HostUnreachable.
    Result<ConnectionRef> acquire() const;
    // A call failed in a way that suggests the connection is dead: let the supervisor check now.
    void reportSuspectedLoss();

private:
    struct CallbackTarget;  // what libvirt's callbacks point at; outlives nothing it must not

    void supervise(std::stop_token stop);
    bool connectOnce(std::string& failureReason);
    void dropConnection();
    void setStatus(Reachability reachability, const std::string& reason);
    void onClosed(int reason);
    static void closeThunk(virConnectPtr connection, int reason, void* opaque);
    static int lifecycleThunk(virConnectPtr connection, virDomainPtr domain, int event, int detail, void* opaque);

    const HostConfig config_;
    const ConnectionSettings settings_;
    const HostListener listener_;
    const SteadyClock clock_;

    mutable std::mutex mutex_;
    std::condition_variable_any wake_;
    virConnectPtr connection_ = nullptr;  // owned by the supervisor, guarded by mutex_
    int lifecycleCallbackId_ = -1;
    bool lossSuspected_ = false;
    bool triedOnce_ = false;
    HostStatus status_;
    std::shared_ptr<CallbackTarget> callbackTarget_;
    std::jthread supervisor_;  // last: started after every member it uses exists
};

}  // namespace faxover::hv::libvirt
