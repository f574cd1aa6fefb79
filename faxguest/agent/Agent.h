#pragma once
// The agent's logic, apart from its transport: builds heartbeats, answers commands. A quiesce is
// answered once the running calls have finished or its timeout has passed (poll()), so heartbeats
// go on meanwhile. Every command gets exactly one reply: a quiesce still waiting when another
// quiesce or a resume arrives is answered "superseded" or "cancelled".
#include "Config.h"

#include "faxover/faxguest/Protocol.h"

#include <chrono>
#include <optional>
#include <vector>

namespace faxover::faxguest::agent {

inline constexpr const char* kAgentVersion = "0.1.0";

class Agent {
public:
    explicit Agent(Config config);

    Heartbeat heartbeat();
    std::vector<CheckResult> runChecks();

    // The reply, or nothing when it comes later from poll() (a quiesce still waiting).
    std::optional<Reply> handle(const Command& command);
    std::vector<Reply> poll();

    bool quiesced() const { return quiesced_; }

private:
    struct PendingQuiesce {
        std::string id{};
        std::chrono::steady_clock::time_point deadline{};
    };

    Heartbeat measure();  // a heartbeat without its sequence number
    Reply quiesce(const Command& command);
    std::optional<Reply> quiesceProgress();  // the pending quiesce's reply, once it has one
    Reply resume(const Command& command);
    // A configured command (licence apply/revoke, restart_command): ok when it exits 0 within
    // `timeout`; the detail is its exit status and last line.
    Reply configuredStep(const Command& command, const Argv& argv, std::chrono::milliseconds timeout,
                         const std::string& missing);
    std::int64_t activeJobs() const;

    Config config_;
    std::int64_t seq_ = 0;
    bool quiesced_ = false;
    std::optional<PendingQuiesce> pending_{};
    std::vector<Reply> outbox_{};  // replies poll() hands out: a pending quiesce superseded or cancelled
    std::string productVersion_{};
};

}  // namespace faxover::faxguest::agent
