// SimulatedHypervisor's guest channels: the host end (openChannel, a hv::Channel) and the guest's
// end (writeFromGuest, takeWrittenToGuest), both in memory and synchronous. A channel ends when
// its domain's run ends, checked by SimState::closeEndedChannels at the end of every call.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"

#include "SimState.h"

#include <algorithm>
#include <utility>

namespace faxover::hv::sim {

using detail::SimChannel;

namespace {

// The host end a test's channel object holds; the simulation's list holds the same record.
class SimHostChannel final : public Channel {
public:
    SimHostChannel(detail::SimState& state, std::shared_ptr<SimChannel> channel)
        : state_(state), channel_(std::move(channel)) {}

    ~SimHostChannel() override {
        const std::lock_guard lock(state_.mutex);
        channel_->open = false;
        std::erase(state_.channels, channel_);
    }

    Result<void> write(std::string_view bytes) override {
        const std::lock_guard lock(state_.mutex);
        state_.closeEndedChannels();
        if (!channel_->open) {
            return Error{ErrorKind::OperationFailed, "channel '" + channel_->name + "' has ended", channel_->host};
        }
        channel_->writtenToGuest.append(bytes);
        return ok();
    }

    bool isOpen() const override {
        const std::lock_guard lock(state_.mutex);
        return channel_->open;
    }

private:
    detail::SimState& state_;
    std::shared_ptr<SimChannel> channel_;
};

// The open channel `name` of `domain` (name or UUID) wherever it runs, or null.
std::shared_ptr<SimChannel> findOpen(detail::SimState& state, const std::string& domain, const std::string& name) {
    state.closeEndedChannels();
    const std::string uuid = detail::canonicalUuid(domain);
    for (const auto& channel : state.channels) {
        if (!channel->open || channel->name != name) continue;
        if (channel->uuid == uuid) return channel;
        const detail::Host* host = state.hostOrNull(channel->host);
        if (host == nullptr) continue;
        const auto found = host->domains.find(domain);
        if (found != host->domains.end() && found->second.uuid == channel->uuid) return channel;
    }
    return nullptr;
}

}  // namespace

namespace detail {

void SimState::closeEndedChannels() {
    std::vector<std::shared_ptr<SimChannel>> ended;
    for (const auto& channel : channels) {
        if (!channel->open) continue;
        Host* host = hostOrNull(channel->host);
        bool runs = false;
        if (host != nullptr && host->reachable()) {
            for (const auto& [name, domain] : host->domains)
                runs = runs || (domain.uuid == channel->uuid && domain.live.get() == channel->run);
        }
        if (runs) continue;
        channel->open = false;
        ended.push_back(channel);
    }
    for (const auto& channel : ended)
        if (channel->handler.onClosed) channel->handler.onClosed("the domain stopped, moved or its host was lost");
}

}  // namespace detail

Result<std::unique_ptr<Channel>> SimulatedHypervisor::openChannel(const std::string& host, const std::string& domain,
                                                                  const std::string& name, ChannelHandler handler) {
    const std::lock_guard lock(state_->mutex);
    BOOST_OUTCOME_TRY(target, state_->reachableDomain(host, domain));
    if (!target.domain->active()) {
        return Error{ErrorKind::OperationInvalid, "domain '" + target.domain->name + "' is not running", host};
    }
    // Like VIR_DOMAIN_CHANNEL_FORCE: a new host end takes the channel over from an older one.
    if (auto older = findOpen(*state_, target.domain->uuid, name)) older->open = false;
    auto channel = std::make_shared<SimChannel>(
        SimChannel{host, target.domain->uuid, name, target.domain->live.get(), std::move(handler), {}, true});
    state_->channels.push_back(channel);
    return std::unique_ptr<Channel>(std::make_unique<SimHostChannel>(*state_, std::move(channel)));
}

Result<void> SimulatedHypervisor::writeFromGuest(const std::string& domain, const std::string& name,
                                                 std::string_view bytes) {
    const std::lock_guard lock(state_->mutex);
    const auto channel = findOpen(*state_, domain, name);
    if (!channel) {
        return Error{ErrorKind::OperationInvalid, "no host end of channel '" + name + "' of '" + domain + "' is open"};
    }
    if (channel->handler.onBytes) channel->handler.onBytes(bytes);
    return ok();
}

std::string SimulatedHypervisor::takeWrittenToGuest(const std::string& domain, const std::string& name) {
    const std::lock_guard lock(state_->mutex);
    const auto channel = findOpen(*state_, domain, name);
    return channel ? std::exchange(channel->writtenToGuest, {}) : std::string();
}

std::size_t SimulatedHypervisor::openChannelsForTest() const {
    const std::lock_guard lock(state_->mutex);
    return static_cast<std::size_t>(
        std::count_if(state_->channels.begin(), state_->channels.end(), [](const auto& c) { return c->open; }));
}

}  // namespace faxover::hv::sim
