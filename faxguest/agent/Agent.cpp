#include "Agent.h"

#include "Checks.h"
#include "Hylafax.h"
#include "Run.h"

#include <algorithm>

namespace faxover::faxguest::agent {
namespace {

using Clock = std::chrono::steady_clock;

Licence licenceState(const LicenceConfig& config) {
    if (config.status.empty()) return {"unknown", "no licence status command configured"};
    const RunResult run = runProgram(config.status, config.timeout);
    const std::string detail = describe(run, config.timeout);
    if (run.started && !run.timedOut && run.exitCode == 0) return {"licensed", detail};
    if (run.started && !run.timedOut && run.exitCode == 1) return {"unlicensed", detail};
    return {"unknown", detail};
}

}  // namespace

Agent::Agent(Config config) : config_(std::move(config)), productVersion_(config_.productVersion) {}

std::vector<CheckResult> Agent::runChecks() {
    std::vector<CheckResult> checks;
    for (const CheckConfig& check : config_.checks) checks.push_back(runCheck(check));
    return checks;
}

Heartbeat Agent::heartbeat() {
    Heartbeat h = measure();
    h.seq = ++seq_;
    return h;
}

Heartbeat Agent::measure() {
    Heartbeat h;
    h.agentVersion = kAgentVersion;
    h.product = config_.product;
    h.checks = runChecks();
    if (config_.hylafax) {
        HylafaxStatus status = checkHylafax(*config_.hylafax);
        h.checks.insert(h.checks.begin(), status.checks.begin(), status.checks.end());
        if (config_.productVersion.empty() && !status.version.empty()) productVersion_ = status.version;
        h.telephony.modems = std::move(status.modems);
        h.queues = status.queues;
    }
    h.productVersion = productVersion_;
    h.healthy = std::all_of(h.checks.begin(), h.checks.end(), [](const CheckResult& c) { return c.ok; });
    const std::vector<ModemState> modems = std::move(h.telephony.modems);
    h.telephony = seeTelephony(config_.telephony);
    h.telephony.modems = modems;
    h.licence = licenceState(config_.licence);
    h.quiesced = quiesced_;
    h.agentRssKiB = ownRssKiB();
    return h;
}

std::int64_t Agent::activeJobs() const {
    return config_.hylafax ? countQueues(config_.hylafax->spool).active : 0;
}

Reply Agent::quiesce(const Command& command) {
    if (!config_.hylafax) return {command.id, command.kind, false, "no hylafax section: nothing to quiesce", {}};
    const std::string problem = setModemState(*config_.hylafax, "busy");
    if (!problem.empty()) return {command.id, command.kind, false, "modems not marked busy: " + problem, {}};
    quiesced_ = true;
    return {command.id, command.kind, true, "", {}};
}

Reply Agent::resume(const Command& command) {
    if (!config_.hylafax) return {command.id, command.kind, false, "no hylafax section: nothing to resume", {}};
    if (pending_) {
        outbox_.push_back({pending_->id, CommandKind::Quiesce, false, "cancelled by resume " + command.id, {}});
        pending_.reset();
    }
    const std::string problem = setModemState(*config_.hylafax, "ready");
    if (!problem.empty()) return {command.id, command.kind, false, "modems not marked ready: " + problem, {}};
    quiesced_ = false;
    return {command.id, command.kind, true, "modems ready: held jobs go out", {}};
}

Reply Agent::configuredStep(const Command& command, const Argv& argv, std::chrono::milliseconds timeout,
                            const std::string& missing) {
    if (argv.empty()) return {command.id, command.kind, false, "no " + missing + " configured", {}};
    const RunResult run = runProgram(argv, timeout);
    const bool ok = run.started && !run.timedOut && run.exitCode == 0;
    return {command.id, command.kind, ok, describe(run, timeout), {}};
}

std::optional<Reply> Agent::handle(const Command& command) {
    switch (command.kind) {
        case CommandKind::Quiesce: {
            if (pending_) {
                outbox_.push_back({pending_->id, CommandKind::Quiesce, false, "superseded by quiesce " + command.id, {}});
                pending_.reset();
            }
            Reply reply = quiesce(command);
            if (!reply.ok) return reply;
            pending_ = PendingQuiesce{command.id, Clock::now() + std::chrono::milliseconds(command.timeoutMs)};
            return quiesceProgress();
        }
        case CommandKind::Resume:
            return resume(command);
        case CommandKind::LicenceApply:
            return configuredStep(command, config_.licence.apply, config_.licence.timeout, "licence command");
        case CommandKind::LicenceRevoke:
            return configuredStep(command, config_.licence.revoke, config_.licence.timeout, "licence command");
        case CommandKind::SelfTest: {
            const Heartbeat h = measure();
            const auto failed = std::count_if(h.checks.begin(), h.checks.end(), [](const CheckResult& c) { return !c.ok; });
            return Reply{command.id, command.kind, failed == 0,
                         std::to_string(h.checks.size()) + " checks, " + std::to_string(failed) + " failed", h.checks};
        }
        case CommandKind::RestartService:
            return configuredStep(command, config_.restartCommand, config_.restartTimeout, "restart_command");
        case CommandKind::SendTestFax: {
            if (!config_.hylafax) return Reply{command.id, command.kind, false, "no hylafax section", {}};
            const auto [ok, detail] = sendTestFax(*config_.hylafax);
            return Reply{command.id, command.kind, ok, detail, {}};
        }
    }
    return Reply{command.id, command.kind, false, "unknown command", {}};
}

std::optional<Reply> Agent::quiesceProgress() {
    if (!pending_) return std::nullopt;
    const std::int64_t active = activeJobs();
    std::optional<Reply> reply;
    if (active == 0) {
        reply = Reply{pending_->id, CommandKind::Quiesce, true, "quiesced: no call in progress", {}};
    } else if (Clock::now() >= pending_->deadline) {
        reply = Reply{pending_->id, CommandKind::Quiesce, false,
                      "timed out with " + std::to_string(active) + " call(s) still in progress (modems stay busy)", {}};
    }
    if (reply) pending_.reset();
    return reply;
}

std::vector<Reply> Agent::poll() {
    std::vector<Reply> replies = std::move(outbox_);
    outbox_.clear();
    if (std::optional<Reply> quiesced = quiesceProgress()) replies.push_back(std::move(*quiesced));
    return replies;
}

}  // namespace faxover::faxguest::agent
