#pragma once
// One service's link to its guest agent: the channel (opened where the domain runs) and what came
// through it. Two locks, always in this order when both are needed, and never `data` while the
// channel is used, because the channel delivers bytes with its own lock held and then takes `data`:
//  - `link` guards the channel (open, write, close);
//  - `data` guards everything the delivery touches.
#include "agent/TokenBucket.h"
#include "faxover/faxguest/Protocol.h"
#include "faxover/hypervisor/Channel.h"
#include "faxover/orchestrator/agent/GuestAgents.h"
#include "faxover/orchestrator/ports/WallClock.h"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace faxover::orchestrator::agent {

struct GuestAgents::Session {
    Session(std::string service, policy::GuestAgentPolicy config, const ports::WallClock& wall);

    const std::string service;
    const ports::WallClock& wall;

    std::mutex link;
    std::unique_ptr<hv::Channel> channel;  // under `link`
    std::string channelHost;               // under `link`: where it was opened ...
    std::string channelName;               // ... and its name

    std::mutex data;
    std::condition_variable replied;  // with `data`
    policy::GuestAgentPolicy config;
    faxguest::LineReader reader;
    TokenBucket bucket;
    std::optional<faxguest::Heartbeat> heartbeat;  // the last one
    ports::WallTime heartbeatAt{};
    struct Waiting {
        faxguest::CommandKind kind;
        std::optional<faxguest::Reply> reply{};  // once it came
    };
    std::map<std::string, Waiting> waiting;  // by command id
    std::string channelProblem;  // why there is no channel now ("" while it is open)
    std::optional<hv::Error> channelError;  // the last failed open
    AgentCounters counters;
    AgentCounters reported;       // counts in the last warning
    std::string lastRefusal;      // why the last refused line was refused
    ports::WallTime reportedAt{};
    ports::WallTime askedAt{};    // the last check() or run() about it

    // With `data` held: a reload's timeout and rate (the bucket starts full again when the rate changed).
    void reconfigure(const policy::GuestAgentPolicy& updated);

    // The channel's handler: bytes in, the stream's end. Runs on the channel's thread.
    void take(std::string_view bytes);
    void ended(const std::string& why);
};

}  // namespace faxover::orchestrator::agent
