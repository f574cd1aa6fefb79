#include "agent/AgentSession.h"

#include <algorithm>
#include <type_traits>
#include <variant>

namespace faxover::orchestrator::agent {

namespace {

double burstOf(const policy::GuestAgentPolicy& config) {
    return std::max(static_cast<double>(policy::kGuestAgentMinBurst),
                    config.maxLinesPerSecond * policy::kGuestAgentBurstSeconds);
}

}  // namespace

GuestAgents::Session::Session(std::string serviceName, policy::GuestAgentPolicy agentConfig,
                              const ports::WallClock& wallClock)
    : service(std::move(serviceName)),
      wall(wallClock),
      config(std::move(agentConfig)),
      bucket(config.maxLinesPerSecond, burstOf(config)) {}

void GuestAgents::Session::reconfigure(const policy::GuestAgentPolicy& updated) {
    if (updated.maxLinesPerSecond != config.maxLinesPerSecond) bucket = TokenBucket(updated.maxLinesPerSecond, burstOf(updated));
    config = updated;
}

void GuestAgents::Session::take(std::string_view bytes) {
    const std::lock_guard lock(data);
    const ports::WallTime now = wall.now();
    bool anyReply = false;
    for (auto& item : reader.feed(bytes)) {
        if (!item.error.empty()) {
            ++counters.garbage;
            lastRefusal = item.error;
            continue;
        }
        // Before parsing: what a flood costs is the line split, never a JSON parse. Long lines cost
        // more: a parse costs about its length.
        if (!bucket.take(now, item.line.size())) {
            ++counters.dropped;
            continue;
        }
        auto parsed = faxguest::parseLine(item.line);
        if (!parsed) {
            ++counters.garbage;
            lastRefusal = parsed.error().message;
            continue;
        }
        std::visit(
            [&](auto& message) {
                using Kind = std::decay_t<decltype(message)>;
                if constexpr (std::is_same_v<Kind, faxguest::Heartbeat>) {
                    ++counters.heartbeats;
                    heartbeat = std::move(message);
                    heartbeatAt = now;
                } else if constexpr (std::is_same_v<Kind, faxguest::Reply>) {
                    const auto it = waiting.find(message.id);
                    if (it == waiting.end() || it->second.reply || message.kind != it->second.kind) {
                        ++counters.unknownReplies;
                        return;
                    }
                    ++counters.replies;
                    it->second.reply = std::move(message);
                    anyReply = true;
                } else {
                    ++counters.garbage;  // a guest has no business sending commands
                    lastRefusal = "a command from the guest";
                }
            },
            parsed.value());
    }
    if (anyReply) replied.notify_all();
}

void GuestAgents::Session::ended(const std::string& why) {
    {
        const std::lock_guard lock(data);
        channelProblem = why;
    }
    replied.notify_all();
}

}  // namespace faxover::orchestrator::agent
