// The AdminApi side of the runtime: the status view and admin commands.
#include "RuntimeState.h"

#include "faxover/orchestrator/engine/Engine.h"
#include "faxover/orchestrator/engine/PlannedShutdown.h"

#include <algorithm>

namespace faxover::orchestrator::runtime {

namespace {

Error refused(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

bool isHostVerb(engine::Verb verb) {
    return verb == engine::Verb::MaintenanceEnable || verb == engine::Verb::MaintenanceDisable ||
           verb == engine::Verb::FenceConfirm;
}

std::string actorOf(const engine::AdminCommand& command) { return command.actor.empty() ? "admin:unknown" : command.actor; }

std::string subjectOf(const engine::AdminCommand& command) {
    return isHostVerb(command.verb) ? "host " + command.host : "service " + command.service;
}

// The command with its actor filled in, or why it names no host or service of the policy.
Result<engine::AdminCommand> checkedCommand(const policy::Policy& policy, const engine::AdminCommand& command) {
    engine::AdminCommand checked = command;
    checked.actor = actorOf(command);
    if (isHostVerb(checked.verb) || !checked.host.empty()) {
        if (policy.findHost(checked.host) == nullptr) {
            std::string known;
            for (const auto& host : policy.hosts) known += (known.empty() ? "" : ", ") + host.name;
            return refused(ErrorKind::BadRequest, "unknown host '" + checked.host + "' (hosts: " + known + ")");
        }
    }
    if (!isHostVerb(checked.verb) && policy.findService(checked.service) == nullptr) {
        std::string known;
        for (const auto& service : policy.services) known += (known.empty() ? "" : ", ") + service.name;
        return refused(ErrorKind::BadRequest,
                       "unknown service '" + checked.service + "' (services: " + known + ")");
    }
    return checked;
}

// "board 0000:03:00.0 (tr1034)" or "sr140", with "auto: " in front when the policy left it to Faxover.
std::string telephonyView(const policy::Policy& policy, const policy::ServicePolicy& service,
                          const ServiceEntry& entry, const std::map<std::string, HostEntry>& hosts) {
    auto where = hosts.find(entry.memory.host);
    const auto telephony = engine::detectTelephony(
        policy, service, policy.findHost(entry.memory.host), entry.observation.pciHostdevs,
        where == hosts.end() ? std::nullopt : where->second.observation.boards,
        entry.observation.guest ? entry.observation.guest->telephony : "");
    std::string text = telephony.board ? "board" : "sr140";
    if (telephony.board && !telephony.boardAddress.empty())
        text += " " + telephony.boardAddress + (telephony.model == nullptr ? "" : " (" + telephony.model->name + ")");
    return service.telephony == policy::TelephonyMode::Auto ? "auto: " + text : text;
}

// What the agent's last word and the escalation say, for a service with a guest agent (or, in a
// simulation, one a probe reports on without one, or one the escalation still remembers). The
// observation is reset each round, so an unset one is a round without a heartbeat.
std::optional<api::FaxView> faxView(const policy::ServicePolicy& service, const ServiceEntry& entry) {
    if (!service.guestAgent && !entry.observation.guest && !entry.memory.fax.any()) return std::nullopt;
    api::FaxView view;
    const engine::FaxEscalation& fax = entry.memory.fax;
    const auto& guest = entry.observation.guest;
    const bool answered = guest && guest->agentAnswered;
    const bool everHeard = (guest && guest->lastHeartbeatNs > 0) || fax.heartbeatsLost;
    view.agent = answered ? "answering" : everHeard ? "heartbeats-lost" : "none";
    view.service = !answered ? "unknown" : guest->faxServiceUp ? "up" : "down";
    if (guest) {
        view.detail = guest->detail;
        for (const auto& check : guest->checks) view.checks.push_back({check.name, check.ok, check.detail});
        view.queues = {guest->queues.outbound, guest->queues.inbound, guest->queues.active};
        view.quiesced = guest->quiesced;
        view.product = guest->product;
        view.agentVersion = guest->agentVersion;
        view.licence = guest->licence;
        if (guest->lastHeartbeatNs > 0)
            view.lastHeartbeat = api::WallTime{std::chrono::duration_cast<api::WallTime::duration>(
                std::chrono::nanoseconds(guest->lastHeartbeatNs))};
    }
    view.serviceRestarts = fax.serviceRestarts;
    view.vmRestarts = fax.vmRestarts;
    view.relocations = fax.relocations;
    if (fax.nextStep != engine::WallTime{}) view.nextStep = fax.nextStep;
    view.exhausted = fax.exhausted;
    return view;
}

// The copy from what the runtime keeps to what `faxover status` shows: the one place a field of
// api::ServiceView or api::HostView is filled. The two sides stay distinct types: the engine's
// values are typed (enums, hosts' boards, counters the admin never sees) and may change with any
// rule, while the views are the wire contract (names as strings, docs/cli.md) that scripts and an
// older or newer CLI read; and a view mixes the engine's observation with the runtime's own
// bookkeeping (when and why health last changed, a fence job's retries). The engine may not
// include api/ (dependencies point inward), so the copy lives here.
api::ServiceView serviceView(const policy::Policy& policy, const policy::ServicePolicy& service,
                             const ServiceEntry& entry, const std::map<std::string, HostEntry>& hosts) {
    return api::ServiceView{
        .name = service.name,
        .state = engine::toString(entry.memory.state),
        .host = entry.memory.host,
        .telephony = telephonyView(policy, service, entry, hosts),
        .since = entry.memory.since,
        .reason = entry.memory.reason,
        .targetHost = entry.memory.target,
        .progress = entry.progress,
        .returnsTo = service.returnAfterMaintenance ? entry.memory.maintenanceHost : "",
        .requested = engine::toString(entry.memory.requested),
        .fax = faxView(service, entry),
    };
}

api::HostView hostView(const std::string& name, const HostEntry& entry) {
    return api::HostView{
        .name = name,
        .health = engine::toString(entry.observation.health),
        .libvirt = hv::toString(entry.observation.libvirt),
        .maintenance = entry.observation.maintenance,
        .fence = entry.fence && entry.fence->passes > 0 ? "retrying" : engine::toString(entry.observation.fence),
        .since = entry.healthSince,
        .reason = entry.healthReason,
        .planned = entry.observation.planned ? engine::describePlan(*entry.observation.planned, entry.profile) : "",
    };
}

}  // namespace

Result<api::ClusterStatus> Runtime::status() {
    return state_->ask<api::ClusterStatus>([s = state_.get()] { return s->status(); });
}

Result<api::ClusterStatus> Runtime::State::status() const {
    api::ClusterStatus status;
    status.policyFile = policyFile;
    for (const auto& service : policy->services)
        status.services.push_back(serviceView(*policy, service, services.at(service.name), hosts));
    for (const auto& host : policy->hosts) status.hosts.push_back(hostView(host.name, hosts.at(host.name)));
    return status;
}

Result<api::CommandReply> Runtime::execute(const engine::AdminCommand& command) {
    // The verdict comes back through a future, within the answer bound. A command the loop had not taken
    // by then is never carried out, and is audited as refused when its turn comes.
    auto* s = state_.get();
    return s->ask<api::CommandReply>([s, command] { return s->execute(command); }, [s, command] {
        if (s->ignoresInput()) return;
        s->audit(actorOf(command), subjectOf(command), engine::toString(command.verb),
                 "the daemon's decision thread was busy for " + s->describeAnswerBound() +
                     " and did not take it, so nothing was done",
                 "refused");
    });
}

Result<api::CommandReply> Runtime::State::execute(const engine::AdminCommand& command) {
    if (stopping.load()) return refused(ErrorKind::DaemonUnreachable, "the daemon is stopping, so nothing was done");
    auto& s = *this;
    const std::string verb = engine::toString(command.verb);
    auto checked = checkedCommand(*s.policy, command);
    if (!checked) {
        // Refused before any decision, and audited like every refusal (docs/daemon.md).
        s.audit(actorOf(command), subjectOf(command), verb, checked.error().message, "refused");
        return checked.error();
    }
    const std::string& actor = checked.value().actor;

    if (isHostVerb(checked.value().verb)) {
        const std::string& hostName = checked.value().host;
        HostEntry& host = s.hosts.at(hostName);
        const std::string subject = "host " + hostName;
        const auto notRecorded = [](const hv::Error& error) {
            return refused(ErrorKind::StoreFailed,
                           "the store could not record it, so nothing was done: " + error.message);
        };
        std::string reply;
        switch (checked.value().verb) {
        case engine::Verb::MaintenanceEnable:
        case engine::Verb::MaintenanceDisable: {
            const bool enable = checked.value().verb == engine::Verb::MaintenanceEnable;
            if (host.adminMaintenance == enable)
                return refused(ErrorKind::Refused,
                               hostName + (enable ? " is already" : " is not") + " in maintenance");
            if (const std::string down = engine::maintenanceRefusal(host.observation); enable && !down.empty()) {
                s.audit(actor, subject, verb, down, "refused");
                return refused(ErrorKind::Refused, down);
            }
            reply = hostName + ": maintenance " + (enable ? "enabled" : "disabled");
            // The change and its audit row are one transaction: a change nobody could audit is not made.
            auto stored = s.storeHost(host, enable, host.observation.fence == engine::FenceStatus::Confirmed,
                                      store::Batch{}.add(s.auditRow(actor, subject, verb, reply)));
            if (!stored) return notRecorded(stored.error());
            host.adminMaintenance = enable;
            s.report(engine::Event::aboutHost(hostName, std::string("maintenance ") + (enable ? "enabled" : "disabled") +
                                                            " by " + actor +
                                                            (enable ? ": its services leave, nothing new starts there" : ""))
                         .with("actor", actor));
            break;
        }
        default: {  // FenceConfirm
            if (host.observation.libvirt == hv::Reachability::Reachable)
                return refused(ErrorKind::Refused,
                               hostName + "'s libvirtd answers: it is not powered off, nothing to confirm");
            if (host.observation.fence == engine::FenceStatus::Confirmed)
                return refused(ErrorKind::Refused, hostName + " is already confirmed fenced");
            if (auto confirmed = s.confirmFence(host, "an admin confirmed the host is off", actor); !confirmed)
                return notRecorded(confirmed.error());
            reply = hostName + ": fence confirmed; its services may now start elsewhere";
            break;
        }
        }
        s.applyMaintenanceWindows();
        s.reconcile();
        return api::CommandReply{reply};
    }

    const CommandAudit audit{actor, "service " + checked.value().service, verb};
    const auto verdicts = s.reconcile({checked.value()}, &audit);
    if (verdicts.empty()) {
        s.audit(actor, audit.subject, verb, "the engine gave no verdict", "refused");
        return refused(ErrorKind::Internal, "the engine gave no verdict; see the log");
    }
    const engine::CommandVerdict& verdict = verdicts.front();
    if (!verdict.accepted) return refused(ErrorKind::Refused, verdict.message);
    return api::CommandReply{verdict.message};
}

Result<std::vector<api::PlannedMove>> Runtime::plan(const engine::AdminCommand& command) {
    return state_->ask<std::vector<api::PlannedMove>>([s = state_.get(), command] { return s->plan(command); });
}

Result<std::vector<api::PlannedMove>> Runtime::State::plan(const engine::AdminCommand& command) {
    auto& s = *this;
    BOOST_OUTCOME_TRY(checked, checkedCommand(*s.policy, command));
    // A dry run: the decision the command would lead to, from what the runtime knows now. Host
    // verbs change the engine's view of the host; service verbs go to the engine as commands.
    engine::EngineInput input = s.decisionInput(isHostVerb(checked.verb) ? std::vector<engine::AdminCommand>{}
                                                                          : std::vector<engine::AdminCommand>{checked});
    if (checked.verb == engine::Verb::MaintenanceEnable) {
        if (const std::string down = engine::maintenanceRefusal(input.hosts[checked.host]); !down.empty())
            return refused(ErrorKind::Refused, down);
        input.hosts[checked.host].maintenance = true;
    }
    if (checked.verb == engine::Verb::MaintenanceDisable) input.hosts[checked.host].maintenance = false;
    if (checked.verb == engine::Verb::FenceConfirm) input.hosts[checked.host].fence = engine::FenceStatus::Confirmed;
    const engine::Decision decision = engine::decide(input);
    if (!decision.verdicts.empty() && !decision.verdicts.front().accepted)
        return refused(ErrorKind::Refused, decision.verdicts.front().message);

    std::vector<api::PlannedMove> moves;
    for (const auto& action : decision.actions) {
        if (!engine::movesVm(action.kind)) continue;
        const ServiceEntry& entry = s.services.at(action.service);
        api::PlannedMove move{action.service, engine::toString(action.kind),
                              action.source.empty() ? entry.memory.host : action.source, action.host,
                              action.fromBoard, action.board, action.reason};
        if (action.kind == engine::ActionKind::ColdMove) s.estimateOutage(move);
        moves.push_back(std::move(move));
    }
    // What must leave a host in maintenance and cannot: it stays, and the admin sees why.
    if (checked.verb == engine::Verb::MaintenanceEnable)
        for (const auto& [name, entry] : s.services) {
            const auto& copies = entry.observation.copies;
            const bool there = std::any_of(copies.begin(), copies.end(),
                                           [&](const auto& copy) { return copy.host == checked.host && copy.active(); });
            const bool moving = std::any_of(moves.begin(), moves.end(), [&](const auto& move) { return move.service == name; });
            if (!there || moving) continue;
            auto changed = decision.memory.find(name);
            moves.push_back({name, "stays", checked.host, "", "", "",
                             changed == decision.memory.end() ? entry.memory.reason : changed->second.reason});
        }
    return moves;
}

}  // namespace faxover::orchestrator::runtime
