#include "libvirt/HostConnection.h"

#include "libvirt/LibvirtErrors.h"
#include "libvirt/LibvirtNames.h"

#include <libvirt/virterror.h>

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <array>
#include <utility>

namespace faxover::hv::libvirt {

namespace {

std::string closeReasonText(int reason) {
    switch (reason) {
        case VIR_CONNECT_CLOSE_REASON_ERROR: return "connection error";
        case VIR_CONNECT_CLOSE_REASON_EOF: return "connection closed by the host (libvirtd gone?)";
        case VIR_CONNECT_CLOSE_REASON_KEEPALIVE: return "keepalive timeout: no answer from the host";
        case VIR_CONNECT_CLOSE_REASON_CLIENT: return "closed by this client";
        default: return "connection closed (reason " + std::to_string(reason) + ")";
    }
}

// The TCP endpoint behind a remote libvirt URI, or nullopt for local and non-TCP transports.
std::optional<Poco::Net::SocketAddress> tcpEndpoint(const std::string& uri) {
    try {
        const Poco::URI parsed(uri);
        if (parsed.getHost().empty()) return std::nullopt;
        const std::string& scheme = parsed.getScheme();
        const auto plus = scheme.find('+');
        const std::string transport = plus == std::string::npos ? "tls" : scheme.substr(plus + 1);
        static const std::array<std::pair<std::string_view, Poco::UInt16>, 4> defaultPorts = {{
            {"tcp", 16509}, {"tls", 16514}, {"ssh", 22}, {"libssh2", 22}}};
        const auto known = std::find_if(defaultPorts.begin(), defaultPorts.end(),
                                        [&](const auto& entry) { return entry.first == transport; });
        if (known == defaultPorts.end()) return std::nullopt;
        // Poco::URI fills in well-known ports for http and the like only; libvirt's are ours to add.
        const Poco::UInt16 port = parsed.getSpecifiedPort() != 0 ? parsed.getSpecifiedPort() : known->second;
        return Poco::Net::SocketAddress(parsed.getHost(), port);
    } catch (const Poco::Exception&) {
        return std::nullopt;  // virConnectOpen will report the malformed URI in libvirt's words
    }
}

}  // namespace

// Everything the supervisor thread and libvirt's callbacks use. Co-owned by the HostConnection, its
// thread and (weakly) the callbacks, so an abandoned thread or a late callback never dangles.
struct HostConnection::State {
    State(HostConfig hostConfig, ConnectionSettings connectionSettings, HostListener hostListener)
        : config(std::move(hostConfig)),
          settings(std::move(connectionSettings)),
          listener(std::move(hostListener)),
          status{Reachability::Unknown, clock.now(), "not connected yet"} {}

    const HostConfig config;
    const ConnectionSettings settings;
    const SteadyClock clock;

    // Deliveries hold listenerMutex; the destructor clears the listener under it, so none reaches
    // the owner once it has returned.
    std::mutex listenerMutex;
    HostListener listener;

    mutable std::mutex mutex;
    std::condition_variable_any wake;
    virConnectPtr connection = nullptr;  // owned by the supervisor, guarded by mutex
    int lifecycleCallbackId = -1;
    bool lossSuspected = false;
    bool triedOnce = false;
    bool finished = false;  // the supervisor has returned
    HostStatus status;

    std::weak_ptr<State> self;  // handed to libvirt's callbacks, one heap copy per registration
    using WeakState = std::weak_ptr<State>;
    static void freeWeakState(void* opaque) { delete static_cast<WeakState*>(opaque); }

    void supervise(std::stop_token stop);
    bool connectOnce(std::string& failureReason);
    void dropConnection();
    void setStatus(Reachability reachability, const std::string& reason);
    void onClosed(int reason);
    void deliver(const DomainEvent& event);

    static void closeThunk(virConnectPtr connection, int reason, void* opaque);
    static int lifecycleThunk(virConnectPtr connection, virDomainPtr domain, int event, int detail, void* opaque);
};

HostConnection::HostConnection(HostConfig config, ConnectionSettings settings, HostListener listener)
    : state_(std::make_shared<State>(std::move(config), std::move(settings), std::move(listener))) {
    state_->self = state_;
    supervisor_ = std::jthread([state = state_](std::stop_token stop) { state->supervise(stop); });
}

HostConnection::~HostConnection() {
    {
        std::lock_guard lock(state_->listenerMutex);
        state_->listener = {};
    }
    supervisor_.request_stop();
    state_->wake.notify_all();
    std::unique_lock lock(state_->mutex);
    const bool finished = state_->wake.wait_for(lock, state_->settings.abandonSupervisorAfter,
                                                [this] { return state_->finished; });
    lock.unlock();
    if (finished) {
        supervisor_.join();
    } else {
        supervisor_.detach();  // stuck in libvirt (a wedged host): it ends by itself later
    }
}

const HostConfig& HostConnection::config() const { return state_->config; }

HostStatus HostConnection::status() const {
    std::lock_guard lock(state_->mutex);
    return state_->status;
}

bool HostConnection::triedOnce() const {
    std::lock_guard lock(state_->mutex);
    return state_->triedOnce;
}

Result<ConnectionRef> HostConnection::acquire() const {
    std::lock_guard lock(state_->mutex);
    if (state_->connection == nullptr || state_->status.reachability != Reachability::Reachable) {
        return Error{ErrorKind::HostUnreachable,
                     "host " + state_->config.name + " unreachable: " + state_->status.reason, state_->config.name};
    }
    virConnectRef(state_->connection);
    return ConnectionRef(state_->connection);
}

void HostConnection::reportSuspectedLoss() {
    {
        std::lock_guard lock(state_->mutex);
        state_->lossSuspected = true;
    }
    state_->wake.notify_all();
}

void HostConnection::State::setStatus(Reachability reachability, const std::string& reason) {
    HostEvent event;
    {
        std::lock_guard lock(mutex);
        if (status.reachability == reachability) {
            return;  // a change is reported once; repeated failures only keep the first reason
        }
        status = HostStatus{reachability, clock.now(), reason};
        event = HostEvent{config.name, status};
    }
    std::lock_guard lock(listenerMutex);
    if (listener.onStatus) listener.onStatus(event);
}

void HostConnection::State::deliver(const DomainEvent& event) {
    std::lock_guard lock(listenerMutex);
    if (listener.onDomainEvent) listener.onDomainEvent(event);
}

void HostConnection::State::closeThunk(virConnectPtr /*connection*/, int reason, void* opaque) {
    if (auto state = static_cast<WeakState*>(opaque)->lock()) state->onClosed(reason);
}

int HostConnection::State::lifecycleThunk(virConnectPtr /*connection*/, virDomainPtr domain, int event, int detail,
                                          void* opaque) {
    const auto name = lifecycleFromLibvirt(event, detail);
    auto state = static_cast<WeakState*>(opaque)->lock();
    if (!name || !state) return 0;
    std::array<char, VIR_UUID_STRING_BUFLEN> uuid{};
    virDomainGetUUIDString(domain, uuid.data());
    state->deliver(
        DomainEvent{state->config.name, virDomainGetName(domain), uuid.data(), name->lifecycle, detail, name->detailText});
    return 0;
}

void HostConnection::State::onClosed(int reason) {
    // Runs on libvirt's event thread: mark the host unreachable now, let the supervisor clean up.
    setStatus(Reachability::Unreachable, closeReasonText(reason));
    {
        std::lock_guard lock(mutex);
        lossSuspected = true;
    }
    wake.notify_all();
}

bool HostConnection::State::connectOnce(std::string& failureReason) {
    if (const auto endpoint = tcpEndpoint(config.uri)) {
        try {
            Poco::Net::StreamSocket probe;
            probe.connect(*endpoint, Poco::Timespan(settings.tcpProbeTimeout.count() * 1000));
        } catch (const Poco::Exception& error) {
            failureReason = "TCP connect to " + endpoint->toString() + " failed: " + error.displayText();
            return false;
        }
    }
    virConnectPtr opened = virConnectOpen(config.uri.c_str());
    if (opened == nullptr) {
        failureReason = lastLibvirtError(config.name, "connect to " + config.uri).message;
        return false;
    }
    ConnectionRef owned(opened);
    // Local drivers (qemu:///system, test:///) have no keepalive, and need none: there is no
    // network between us. Any other failure to enable it leaves the connection unbounded: refuse.
    if (virConnectSetKeepAlive(opened, settings.keepAliveIntervalSeconds, settings.keepAliveCount) < 0) {
        const Error error = lastLibvirtError(config.name, "enable keepalive");
        if (error.libvirtCode != VIR_ERR_NO_SUPPORT) {
            failureReason = error.message;
            return false;
        }
    }
    if (virConnectRegisterCloseCallback(opened, closeThunk, new WeakState(self), freeWeakState) < 0) {
        failureReason = lastLibvirtError(config.name, "register close callback").message;
        return false;
    }
    // libvirt stores every event callback as the generic type; the cast through void(*)() is the
    // documented way to do so without a function-type-cast warning.
    const auto genericLifecycle =
        reinterpret_cast<virConnectDomainEventGenericCallback>(reinterpret_cast<void (*)()>(lifecycleThunk));
    const int callbackId = virConnectDomainEventRegisterAny(opened, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                            genericLifecycle, new WeakState(self), freeWeakState);
    if (callbackId < 0) {
        failureReason = lastLibvirtError(config.name, "register lifecycle events").message;
        virConnectUnregisterCloseCallback(opened, closeThunk);
        return false;
    }
    {
        std::lock_guard lock(mutex);
        connection = owned.release();
        lifecycleCallbackId = callbackId;
        lossSuspected = false;
    }
    setStatus(Reachability::Reachable, "connected to " + config.uri);
    return true;
}

void HostConnection::State::dropConnection() {
    virConnectPtr dropped = nullptr;
    int callbackId = -1;
    {
        std::lock_guard lock(mutex);
        dropped = std::exchange(connection, nullptr);
        callbackId = std::exchange(lifecycleCallbackId, -1);
    }
    if (dropped == nullptr) return;
    // On a dead connection these fail; that is fine, the local registrations are released anyway.
    if (callbackId >= 0) virConnectDomainEventDeregisterAny(dropped, callbackId);
    // Callers may still hold references to this connection; its close must not touch the next one.
    virConnectUnregisterCloseCallback(dropped, closeThunk);
    virConnectClose(dropped);
    virResetLastError();
}

void HostConnection::State::supervise(std::stop_token stop) {
    Duration backoff = settings.reconnectMin;
    while (!stop.stop_requested()) {
        std::string failureReason;
        const bool connected = connectOnce(failureReason);
        if (!connected) setStatus(Reachability::Unreachable, failureReason);
        std::unique_lock lock(mutex);
        triedOnce = true;
        if (!connected) {
            wake.wait_for(lock, stop, backoff, [] { return false; });
            backoff = std::min(backoff * 2, settings.reconnectMax);
            continue;
        }
        backoff = settings.reconnectMin;
        // Connected: sleep until the close callback or a failed call says the connection may be
        // gone, then confirm locally (no RPC) before dropping it.
        for (;;) {
            wake.wait(lock, stop, [this] { return lossSuspected; });
            if (stop.stop_requested()) break;
            lossSuspected = false;
            if (virConnectIsAlive(connection) != 1 || status.reachability != Reachability::Reachable) break;
        }
        lock.unlock();
        if (!stop.stop_requested()) setStatus(Reachability::Unreachable, "connection lost");
        dropConnection();
    }
    dropConnection();
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    wake.notify_all();
}

}  // namespace faxover::hv::libvirt
