#include "libvirt/GuestChannel.h"

#include "libvirt/LibvirtErrors.h"

#include <array>
#include <chrono>
#include <mutex>
#include <thread>

namespace faxover::hv::libvirt {

namespace {

// At most this much is read per stream event, so one chatty guest cannot hold the event loop.
constexpr std::size_t kReadChunk = 16 * 1024;
constexpr int kChunksPerEvent = 4;
// A guest that does not read its channel makes a write fail after this long.
constexpr std::chrono::milliseconds kWriteTimeout{2000};
constexpr std::chrono::milliseconds kWriteRetry{10};

// How a stream ended decides how it is released (libvirt-stream.html, virStreamRecv): after the
// end of the stream virStreamFinish confirms it; after a failed virStreamRecv/virStreamSend libvirt
// has aborted it already; a stream closed while still open (or hung up) is aborted.
enum class Ending { Open, Finished, Failed, HungUp };

// What the stream callback and the channel share. The callback holds `mutex` while it delivers,
// so once the channel's destructor has taken it and cleared `delivering`, no delivery is in flight
// and none follows.
struct StreamState {
    std::mutex mutex;
    ChannelHandler handler;
    bool delivering = true;
    Ending ending = Ending::Open;
};
using SharedState = std::shared_ptr<StreamState>;

void freeState(void* opaque) { delete static_cast<SharedState*>(opaque); }

// With `state.mutex` held. Removing the callback from inside it is allowed (virsh console does);
// the opaque is freed by the event loop once the running callback returned.
void end(virStreamPtr stream, StreamState& state, Ending how, const std::string& why) {
    if (state.ending != Ending::Open) return;
    state.ending = how;
    virStreamEventRemoveCallback(stream);
    if (state.delivering && state.handler.onClosed) state.handler.onClosed(why);
}

void onStreamEvent(virStreamPtr stream, int events, void* opaque) {
    const SharedState state = *static_cast<SharedState*>(opaque);
    const std::lock_guard lock(state->mutex);
    if (!state->delivering || state->ending != Ending::Open) return;
    if ((events & VIR_STREAM_EVENT_READABLE) != 0) {
        std::array<char, kReadChunk> buffer{};
        for (int chunk = 0; chunk < kChunksPerEvent; ++chunk) {
            const int got = virStreamRecv(stream, buffer.data(), buffer.size());
            if (got == -2) break;  // nothing more for now
            if (got == 0)
                return end(stream, *state, Ending::Finished, "the guest channel ended (domain stopped or moved)");
            if (got < 0) return end(stream, *state, Ending::Failed, lastLibvirtError("", "read the guest channel").message);
            if (state->handler.onBytes) state->handler.onBytes({buffer.data(), static_cast<std::size_t>(got)});
        }
    }
    if ((events & (VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR)) != 0)
        end(stream, *state, Ending::HungUp, "the guest channel hung up");
}

class LibvirtChannel final : public Channel {
public:
    LibvirtChannel(virStreamPtr stream, SharedState state, std::string host, std::string name)
        : stream_(stream), state_(std::move(state)), host_(std::move(host)), name_(std::move(name)) {}

    // Runs on a worker's thread, never the event loop (the handler never destroys its channel).
    // virStreamFinish/virStreamAbort are a round trip to libvirtd: bounded by the connection's
    // keepalive when the host is gone.
    ~LibvirtChannel() override {
        Ending how = Ending::Open;
        {
            const std::lock_guard lock(state_->mutex);
            state_->delivering = false;
            how = state_->ending;
            if (how == Ending::Open) end(stream_, *state_, Ending::HungUp, "closed");
        }
        if (how == Ending::Finished) virStreamFinish(stream_);
        else if (how != Ending::Failed) virStreamAbort(stream_);
        virStreamFree(stream_);
    }
    LibvirtChannel(const LibvirtChannel&) = delete;
    LibvirtChannel& operator=(const LibvirtChannel&) = delete;

    Result<void> write(std::string_view bytes) override {
        const auto deadline = std::chrono::steady_clock::now() + kWriteTimeout;
        while (!bytes.empty()) {
            if (!isOpen()) return Error{ErrorKind::OperationFailed, "channel '" + name_ + "' has ended", host_};
            const int sent = virStreamSend(stream_, bytes.data(), bytes.size());
            if (sent > 0) {
                bytes.remove_prefix(static_cast<std::size_t>(sent));
                continue;
            }
            if (sent != -2) {
                Error error = lastLibvirtError(host_, "write to channel " + name_);
                // libvirt aborted the stream: the channel has ended, the next check reopens it.
                const std::lock_guard lock(state_->mutex);
                end(stream_, *state_, Ending::Failed, error.message);
                return error;
            }
            if (std::chrono::steady_clock::now() >= deadline)
                return Error{ErrorKind::Timeout, "the guest does not read channel '" + name_ + "'", host_};
            std::this_thread::sleep_for(kWriteRetry);  // a worker's thread, never the event loop
        }
        return ok();
    }

    bool isOpen() const override {
        const std::lock_guard lock(state_->mutex);
        return state_->ending == Ending::Open;
    }

private:
    virStreamPtr stream_;
    SharedState state_;
    std::string host_;
    std::string name_;
};

}  // namespace

Result<std::unique_ptr<Channel>> openGuestChannel(virConnectPtr connection, virDomainPtr domain,
                                                  const std::string& host, const std::string& name,
                                                  ChannelHandler handler) {
    virStreamPtr stream = virStreamNew(connection, VIR_STREAM_NONBLOCK);
    if (stream == nullptr) return lastLibvirtError(host, "create a stream for channel " + name);
    if (virDomainOpenChannel(domain, name.c_str(), stream, VIR_DOMAIN_CHANNEL_FORCE) < 0) {
        Error error = lastLibvirtError(host, "open channel " + name);
        virStreamFree(stream);
        return error;
    }
    auto state = std::make_shared<StreamState>();
    state->handler = std::move(handler);
    auto* opaque = new SharedState(state);
    constexpr int kEvents = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
    if (virStreamEventAddCallback(stream, kEvents, onStreamEvent, opaque, freeState) < 0) {
        Error error = lastLibvirtError(host, "watch channel " + name);
        delete opaque;
        virStreamAbort(stream);
        virStreamFree(stream);
        return error;
    }
    return std::unique_ptr<Channel>(std::make_unique<LibvirtChannel>(stream, std::move(state), host, name));
}

}  // namespace faxover::hv::libvirt
