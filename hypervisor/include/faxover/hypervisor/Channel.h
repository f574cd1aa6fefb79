#pragma once
// A byte stream to a guest: the host end of a virtio-serial channel (libvirt's
// virDomainOpenChannel), through which the orchestrator talks to the Faxover guest agent
// (docs/guest-agent.md). Opened with Hypervisor::openChannel; closed by its destructor.
//
// Bytes arrive through the handler given at open, on the implementation's thread (libvirt's event
// loop) or synchronously from the knob that wrote them (simulation). The handler must be quick:
// it runs on the thread that serves every host's keepalives and events. The stream ends (onClosed,
// once) when the domain stops, migrates away or the connection is lost, or on the writer's thread
// when a write finds the stream broken; nothing arrives after that.
#include "faxover/hypervisor/Result.h"

#include <functional>
#include <string>
#include <string_view>

namespace faxover::hv {

struct ChannelHandler {
    std::function<void(std::string_view bytes)> onBytes{};
    std::function<void(const std::string& why)> onClosed{};
};

class Channel {
public:
    // Stops delivery: once the destructor returns, the handler is not called again.
    virtual ~Channel() = default;
    // Sends all of `bytes` or fails (OperationFailed when the stream ended, Timeout when the guest
    // does not read). Blocking for a bounded time; never call it from the handler.
    virtual Result<void> write(std::string_view bytes) = 0;
    virtual bool isOpen() const = 0;
};

}  // namespace faxover::hv
