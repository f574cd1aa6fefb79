// The AdminApi side of the runtime: the status view and admin commands.
#include "RuntimeState.h"

namespace faxover::orchestrator::runtime {

namespace {

hv::Error refused(hv::ErrorKind kind, std::string message) { return hv::Error{kind, std::move(message)}; }

bool isHostVerb(api::Verb verb) {
    return verb == api::Verb::MaintenanceEnable || verb == api::Verb::MaintenanceDisable ||
           verb == api::Verb::FenceConfirm;
}

}  // namespace

hv::Result<api::ClusterStatus> Runtime::status() {
    std::lock_guard lock(state_->mutex);
    const auto& s = *state_;
    api::ClusterStatus status;
    status.policyFile = s.policyFile;
    for (const auto& service : s.policy->services) {
        const ServiceEntry& entry = s.services.at(service.name);
        api::ServiceView view;
        view.name = service.name;
        view.state = engine::toString(entry.memory.state);
        view.host = entry.memory.host;
        view.telephony = policy::toString(service.telephony);
        view.since = entry.memory.since;
        view.reason = entry.memory.reason;
        view.targetHost = entry.memory.target;
        view.progress = entry.progress;
        status.services.push_back(std::move(view));
    }
    for (const auto& host : s.policy->hosts) {
        const HostEntry& entry = s.hosts.at(host.name);
        api::HostView view;
        view.name = host.name;
        view.health = engine::toString(entry.observation.health);
        view.libvirt = hv::toString(entry.observation.libvirt);
        view.maintenance = entry.observation.maintenance;
        view.fence = entry.fence && entry.fence->passes > 0 ? "retrying" : engine::toString(entry.observation.fence);
        view.since = entry.healthSince;
        view.reason = entry.healthReason;
        status.hosts.push_back(std::move(view));
    }
    return status;
}

hv::Result<api::CommandReply> Runtime::execute(const api::AdminCommand& command) {
    std::lock_guard lock(state_->mutex);
    auto& s = *state_;
    api::AdminCommand checked = command;
    if (checked.actor.empty()) checked.actor = "admin:unknown";
    const std::string& actor = checked.actor;
    const std::string verb = api::toString(checked.verb);

    if (isHostVerb(checked.verb) || !checked.host.empty()) {
        if (s.policy->findHost(checked.host) == nullptr) {
            std::string known;
            for (const auto& host : s.policy->hosts) known += (known.empty() ? "" : ", ") + host.name;
            return refused(hv::ErrorKind::InvalidArgument, "unknown host '" + checked.host + "' (hosts: " + known + ")");
        }
    }
    if (!isHostVerb(checked.verb) && s.policy->findService(checked.service) == nullptr) {
        std::string known;
        for (const auto& service : s.policy->services) known += (known.empty() ? "" : ", ") + service.name;
        return refused(hv::ErrorKind::InvalidArgument,
                       "unknown service '" + checked.service + "' (services: " + known + ")");
    }

    if (isHostVerb(checked.verb)) {
        HostEntry& host = s.hosts.at(checked.host);
        const std::string subject = "host " + checked.host;
        std::string reply;
        switch (checked.verb) {
        case api::Verb::MaintenanceEnable:
        case api::Verb::MaintenanceDisable: {
            const bool enable = checked.verb == api::Verb::MaintenanceEnable;
            if (host.adminMaintenance == enable)
                return refused(hv::ErrorKind::OperationInvalid,
                               checked.host + (enable ? " is already" : " is not") + " in maintenance");
            host.adminMaintenance = enable;
            s.saveHost(checked.host, host);
            s.log(subject, std::string("maintenance ") + (enable ? "enabled" : "disabled") + " by " + actor +
                               (enable ? ": its services leave, nothing new starts there" : ""));
            reply = checked.host + ": maintenance " + (enable ? "enabled" : "disabled");
            break;
        }
        default: {  // FenceConfirm
            if (host.observation.libvirt == hv::Reachability::Reachable)
                return refused(hv::ErrorKind::OperationInvalid,
                               checked.host + "'s libvirtd answers: it is not powered off, nothing to confirm");
            if (host.observation.fence == engine::FenceStatus::Confirmed)
                return refused(hv::ErrorKind::OperationInvalid, checked.host + " is already confirmed fenced");
            s.confirmFence(host, "an admin confirmed the host is off", actor);
            reply = checked.host + ": fence confirmed; its services may now start elsewhere";
            break;
        }
        }
        s.audit(actor, subject, verb, reply);
        s.applyMaintenanceWindows();
        s.reconcile();
        return api::CommandReply{reply};
    }

    const auto verdicts = s.reconcile({checked});
    const engine::CommandVerdict verdict =
        verdicts.empty() ? engine::CommandVerdict{false, "the store refused the decision; see the log"} : verdicts.front();
    s.audit(actor, "service " + checked.service, verb, verdict.message, verdict.accepted ? "accepted" : "refused");
    if (!verdict.accepted) return refused(hv::ErrorKind::OperationInvalid, verdict.message);
    return api::CommandReply{verdict.message};
}

}  // namespace faxover::orchestrator::runtime
