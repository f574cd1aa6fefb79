// A service's guest_agent (docs/policy.md, "guest_agent"): where the Faxover guest agent talks
// and how much the orchestrator listens to it.
#include "read/Scalars.h"
#include "read/Sections.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace faxover::policy::read {

namespace {

constexpr std::size_t kLongestChannelName = 64;
constexpr std::chrono::milliseconds kShortestHeartbeatTimeout{2000};
constexpr std::chrono::milliseconds kLongestHeartbeatTimeout{10 * 60 * 1000};
constexpr std::int64_t kMostLinesPerSecond = 1000;

constexpr std::string_view kChannelExpected =
    "a virtio-serial channel name (letters, digits, '.', '_', '-'; at most 64 characters), "
    "e.g. org.faxover.agent.0";

// What QEMU accepts as a virtserialport name and what appears under /dev/virtio-ports in the guest.
bool isChannelName(std::string_view text) {
    return !text.empty() && text.size() <= kLongestChannelName && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
           });
}

}  // namespace

GuestAgentPolicy readGuestAgent(Reader& reader, const Field& field) {
    Diagnostics& diagnostics = reader.diagnostics;
    GuestAgentPolicy agent;
    MappingReader map(diagnostics, field, {"channel", "heartbeat_timeout", "max_lines_per_second"});
    if (!map.isMapping()) return agent;
    if (auto channel = map.find("channel")) {
        if (auto text = readTextWhere(diagnostics, *channel, kChannelExpected, isChannelName)) agent.channel = *text;
    }
    if (auto timeout = map.find("heartbeat_timeout")) {
        if (auto value = readDuration(diagnostics, *timeout, kShortestHeartbeatTimeout, kLongestHeartbeatTimeout))
            agent.heartbeatTimeout = *value;
    }
    if (auto rate = map.find("max_lines_per_second")) {
        if (auto value = readInteger(diagnostics, *rate, 1, kMostLinesPerSecond))
            agent.maxLinesPerSecond = static_cast<int>(*value);
    }
    return agent;
}

}  // namespace faxover::policy::read
