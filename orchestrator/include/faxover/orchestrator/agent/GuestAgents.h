#pragma once
// The orchestrator's end of the Faxover guest agents (docs/guest-agent.md, "The orchestrator's
// side"): one channel per running protected domain whose service has a `guest_agent` in the
// policy, opened through the hypervisor layer when the Monitor first asks about the domain,
// reopened after it migrated or restarted, closed when nobody asks any more.
//
// What the guests send is untrusted: lines are cut at the protocol's size limit (LineReader),
// limited in rate per domain (a token bucket: beyond it lines are dropped unparsed), checked by
// parseLine; what is refused is counted and reported as one warning event per domain per
// reportInterval at most. A flood costs a bounded amount of work per byte and no memory.
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/orchestrator/ports/EventSink.h"
#include "faxover/orchestrator/ports/GuestAgentCommands.h"
#include "faxover/orchestrator/ports/GuestHealthProbe.h"
#include "faxover/orchestrator/ports/WallClock.h"
#include "faxover/policies/Policy.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace faxover::orchestrator::agent {

struct GuestAgentsSettings {
    // A command's reply may come this long after the request's own timeout (the agent finishes a
    // heartbeat's checks before it reads commands).
    std::chrono::milliseconds replyMargin{10000};
    // How long a command whose request gives no timeout (resume) may take.
    std::chrono::milliseconds defaultCommandTimeout{10000};
    // At most one warning event about refused input per domain this often.
    std::chrono::milliseconds reportInterval{60000};
    // A domain nobody asked about for this long has its channel closed (stopped, moved out of the
    // policy, or the monitor stopped asking).
    std::chrono::milliseconds forgetAfter{60000};
};

// What a domain's channel has taken in since it was first opened.
struct AgentCounters {
    std::uint64_t heartbeats = 0;
    std::uint64_t replies = 0;
    std::uint64_t garbage = 0;         // too long, not the protocol, or not a message a guest sends
    std::uint64_t dropped = 0;         // over the rate limit, not parsed
    std::uint64_t unknownReplies = 0;  // a reply to no command waiting for one
    bool operator==(const AgentCounters&) const = default;
};

class GuestAgents final : public ports::GuestHealthProbe, public ports::GuestAgentCommands {
public:
    // `events` may be null: refused input is then only counted (counters()).
    GuestAgents(hv::Hypervisor& hypervisor, const ports::WallClock& wall, ports::EventSink* events,
                std::shared_ptr<const policy::Policy> policy, GuestAgentsSettings settings = {});
    ~GuestAgents() override;
    GuestAgents(const GuestAgents&) = delete;
    GuestAgents& operator=(const GuestAgents&) = delete;

    // After a reload: services whose guest_agent went away lose their channel at the next check.
    void setPolicy(std::shared_ptr<const policy::Policy> policy);

    // `domain` is the UUID or name of a domain running on `host`. nullopt when its service has no
    // guest_agent (or no service protects it).
    std::optional<engine::GuestHealth> check(const std::string& host, const std::string& domain) override;
    hv::Result<std::string> run(const ports::GuestAgentRequest& request) override;

    // The service's counts; nullopt when it has no channel state.
    std::optional<AgentCounters> counters(const std::string& service) const;

    struct Session;  // one service's channel and what came through it (GuestAgents.cpp)

private:
    std::shared_ptr<Session> sessionFor(const std::string& service, const policy::GuestAgentPolicy& config);
    const policy::ServicePolicy* serviceOf(const policy::Policy& policy, const std::string& host,
                                           const std::string& domain);
    // Closes the sessions of services that left the policy, lost their guest_agent or were not
    // asked about for settings_.forgetAfter. At most once a second: it scans every session against
    // the policy, and check() runs once per service per round.
    void forgetStale();

    hv::Hypervisor& hypervisor_;
    const ports::WallClock& wall_;
    ports::EventSink* events_;
    GuestAgentsSettings settings_;

    mutable std::mutex mutex_;  // the maps and the policy; never held while a channel is used
    std::shared_ptr<const policy::Policy> policy_;
    std::map<std::string, std::shared_ptr<Session>> sessions_;  // by service
    std::map<std::string, std::string> domainNames_;             // UUID -> name, for services named by name
    std::uint64_t nextCommand_ = 0;
    ports::WallTime lastSweep_{};
};

}  // namespace faxover::orchestrator::agent
