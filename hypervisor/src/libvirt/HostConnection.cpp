#include "libvirt/HostConnection.h"

#include "libvirt/LibvirtErrors.h"
#include "libvirt/LibvirtNames.h"

#include <libvirt/virterror.h>

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <utility>

namespace faxover::hv::libvirt {

// libvirt may run a callback on its event thread while the HostConnection is being destroyed. The
// callbacks hold this target through a weak_ptr and call the owner only under its mutex; the
// destructor clears `owner` under the same mutex first, so no callback can reach a dead object.
struct HostConnection::CallbackTarget {
    std::mutex mutex;
    HostConnection* owner = nullptr;
};

namespace {

using WeakTarget = std::weak_ptr<void>;

template <class Target, class Fn>
void withOwner(void* opaque, Fn&& fn) {
    auto target = std::static_pointer_cast<Target>(static_cast<WeakTarget*>(opaque)->lock());
    if (!target) return;
    std::lock_guard lock(target->mutex);
    if (target->owner != nullptr) fn(*target->owner);
}

void freeWeakTarget(void* opaque) { delete static_cast<WeakTarget*>(opaque); }

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

HostConnection::HostConnection(HostConfig config, ConnectionSettings settings, HostListener listener)
    : config_(std::move(config)),
      settings_(std::move(settings)),
      listener_(std::move(listener)),
      status_{Reachability::Unknown, clock_.now(), "not connected yet"},
      callbackTarget_(std::make_shared<CallbackTarget>()) {
    callbackTarget_->owner = this;
    supervisor_ = std::jthread([this](std::stop_token stop) { supervise(stop); });
}

HostConnection::~HostConnection() {
    {
        std::lock_guard lock(callbackTarget_->mutex);
        callbackTarget_->owner = nullptr;
    }
    supervisor_.request_stop();
    wake_.notify_all();
    supervisor_.join();
}

HostStatus HostConnection::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

bool HostConnection::triedOnce() const {
    std::lock_guard lock(mutex_);
    return triedOnce_;
}

Result<ConnectionRef> HostConnection::acquire() const {
    std::lock_guard lock(mutex_);
    if (connection_ == nullptr || status_.reachability != Reachability::Reachable) {
        return Error{ErrorKind::HostUnreachable, "host " + config_.name + " unreachable: " + status_.reason,
                     config_.name};
    }
    virConnectRef(connection_);
    return ConnectionRef(connection_);
}

void HostConnection::reportSuspectedLoss() {
    {
        std::lock_guard lock(mutex_);
        lossSuspected_ = true;
    }
    wake_.notify_all();
}

void HostConnection::setStatus(Reachability reachability, const std::string& reason) {
    HostEvent event;
    {
        std::lock_guard lock(mutex_);
        if (status_.reachability == reachability) {
            return;  // a change is reported once; repeated failures only keep the first reason
        }
        status_ = HostStatus{reachability, clock_.now(), reason};
        event = HostEvent{config_.name, status_};
    }
    if (listener_.onStatus) listener_.onStatus(event);
}

void HostConnection::closeThunk(virConnectPtr /*connection*/, int reason, void* opaque) {
    withOwner<CallbackTarget>(opaque, [reason](HostConnection& owner) { owner.onClosed(reason); });
}

int HostConnection::lifecycleThunk(virConnectPtr /*connection*/, virDomainPtr domain, int event, int detail,
                                   void* opaque) {
    const auto name = lifecycleFromLibvirt(event, detail);
    if (!name) return 0;
    std::array<char, VIR_UUID_STRING_BUFLEN> uuid{};
    virDomainGetUUIDString(domain, uuid.data());
    withOwner<CallbackTarget>(opaque, [&](HostConnection& owner) {
        if (!owner.listener_.onDomainEvent) return;
        owner.listener_.onDomainEvent(DomainEvent{owner.config_.name, virDomainGetName(domain), uuid.data(),
                                                  name->lifecycle, detail, name->detailText});
    });
    return 0;
}

void HostConnection::onClosed(int reason) {
    // Runs on libvirt's event thread: mark the host unreachable now, let the supervisor clean up.
    setStatus(Reachability::Unreachable, closeReasonText(reason));
    {
        std::lock_guard lock(mutex_);
        lossSuspected_ = true;
    }
    wake_.notify_all();
}

bool HostConnection::connectOnce(std::string& failureReason) {
    if (const auto endpoint = tcpEndpoint(config_.uri)) {
        try {
            Poco::Net::StreamSocket probe;
            probe.connect(*endpoint, Poco::Timespan(settings_.tcpProbeTimeout.count() * 1000));
        } catch (const Poco::Exception& error) {
            failureReason = "TCP connect to " + endpoint->toString() + " failed: " + error.displayText();
            return false;
        }
    }
    virConnectPtr connection = virConnectOpen(config_.uri.c_str());
    if (connection == nullptr) {
        failureReason = lastLibvirtError(config_.name, "connect to " + config_.uri).message;
        return false;
    }
    ConnectionRef owned(connection);
    // Local drivers (qemu:///system, test:///) have no keepalive, and need none: there is no
    // network between us. Any other failure to enable it leaves the connection unbounded: refuse.
    if (virConnectSetKeepAlive(connection, settings_.keepAliveIntervalSeconds, settings_.keepAliveCount) < 0) {
        const Error error = lastLibvirtError(config_.name, "enable keepalive");
        if (error.libvirtCode != VIR_ERR_NO_SUPPORT) {
            failureReason = error.message;
            return false;
        }
    }
    if (virConnectRegisterCloseCallback(connection, closeThunk, new WeakTarget(callbackTarget_), freeWeakTarget) < 0) {
        failureReason = lastLibvirtError(config_.name, "register close callback").message;
        return false;
    }
    // libvirt stores every event callback as the generic type; the cast through void(*)() is the
    // documented way to do so without a function-type-cast warning.
    const auto genericLifecycle =
        reinterpret_cast<virConnectDomainEventGenericCallback>(reinterpret_cast<void (*)()>(lifecycleThunk));
    const int callbackId = virConnectDomainEventRegisterAny(connection, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                                            genericLifecycle, new WeakTarget(callbackTarget_),
                                                            freeWeakTarget);
    if (callbackId < 0) {
        failureReason = lastLibvirtError(config_.name, "register lifecycle events").message;
        virConnectUnregisterCloseCallback(connection, closeThunk);
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        connection_ = owned.release();
        lifecycleCallbackId_ = callbackId;
        lossSuspected_ = false;
    }
    setStatus(Reachability::Reachable, "connected to " + config_.uri);
    return true;
}

void HostConnection::dropConnection() {
    virConnectPtr connection = nullptr;
    int callbackId = -1;
    {
        std::lock_guard lock(mutex_);
        connection = std::exchange(connection_, nullptr);
        callbackId = std::exchange(lifecycleCallbackId_, -1);
    }
    if (connection == nullptr) return;
    // On a dead connection these fail; that is fine, the local registrations are released anyway.
    if (callbackId >= 0) virConnectDomainEventDeregisterAny(connection, callbackId);
    // Callers may still hold references to this connection; its close must not touch the next one.
    virConnectUnregisterCloseCallback(connection, closeThunk);
    virConnectClose(connection);
    virResetLastError();
}

void HostConnection::supervise(std::stop_token stop) {
    Duration backoff = settings_.reconnectMin;
    while (!stop.stop_requested()) {
        std::string failureReason;
        const bool connected = connectOnce(failureReason);
        if (!connected) setStatus(Reachability::Unreachable, failureReason);
        std::unique_lock lock(mutex_);
        triedOnce_ = true;
        if (!connected) {
            wake_.wait_for(lock, stop, backoff, [] { return false; });
            backoff = std::min(backoff * 2, settings_.reconnectMax);
            continue;
        }
        backoff = settings_.reconnectMin;
        // Connected: sleep until the close callback or a failed call says the connection may be
        // gone, then confirm locally (no RPC) before dropping it.
        for (;;) {
            wake_.wait(lock, stop, [this] { return lossSuspected_; });
            if (stop.stop_requested()) break;
            lossSuspected_ = false;
            if (virConnectIsAlive(connection_) != 1 || status_.reachability != Reachability::Reachable) break;
        }
        lock.unlock();
        if (!stop.stop_requested()) setStatus(Reachability::Unreachable, "connection lost");
        dropConnection();
    }
    dropConnection();
}

}  // namespace faxover::hv::libvirt
