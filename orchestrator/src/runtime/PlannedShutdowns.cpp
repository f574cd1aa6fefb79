// The runtime side of a planned host shutdown or reboot (docs/engine.md, "Planned host shutdown"):
// it keeps what the host's hook announced on the host's observation, for the engine to decide on,
// until the host is back.
#include "RuntimeState.h"

#include "faxover/orchestrator/engine/PlannedShutdown.h"
#include "faxover/orchestrator/runtime/Monitor.h"
#include "faxover/policies/Duration.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace faxover::orchestrator::runtime {

namespace {

// Whether `peer` may speak for `host`: one of its own addresses in the policy (its libvirt URI's
// host, its migration or probe address). An in-process caller ("") and the local unix socket
// ("local", root or the daemon's user) may too. A report is what lets a VM restart without a
// fence: another machine must not be able to make one up.
bool speaksFor(const std::string& peer, const policy::HostPolicy& host) {
    if (peer.empty() || peer == "local") return true;
    const std::string address = peer.starts_with("::ffff:") ? peer.substr(7) : peer;
    std::string uriHost;
    try {
        uriHost = Poco::URI(host.uri).getHost();
    } catch (const Poco::Exception&) {
        uriHost.clear();  // a local URI has no host: only the addresses below
    }
    return address == uriHost || address == host.migrationAddress || address == host.probeAddress;
}

}  // namespace

Result<api::HostEventReply> Runtime::hostEvent(const api::HostEvent& event) {
    return state_->ask<api::HostEventReply>([s = state_.get(), event] { return s->hostEvent(event); });
}

Result<api::HostEventReply> Runtime::State::hostEvent(const api::HostEvent& event) {
    auto it = hosts.find(event.host);
    if (it == hosts.end()) return Error{ErrorKind::BadRequest, "unknown host '" + event.host + "'"};
    HostEntry& host = it->second;
    const policy::HostPolicy* own = policy->findHost(event.host);
    if (own == nullptr || !speaksFor(event.peer, *own)) {
        // One row per host a minute at most, 12 a minute in all, with the count of the others: a
        // caller that is not the host could otherwise grow the audit log as fast as it can ask.
        const auto row = auditRow(event.asker, event.host, "host-event-refused",
                                  std::string(api::toString(event.kind)) + " from " + event.peer +
                                      ", not one of the host's addresses", "")
                             .record;
        if (auto written = hostEventRefusals.refused(event.host, row, ports.clock.now())) writeAudit(*written);
        return Error{ErrorKind::Refused, "a host event for " + event.host + " comes only from its own " +
                                                      "addresses (libvirt URI, migration or probe address); " +
                                                      "this came from " + event.peer};
    }
    auto& planned = host.observation.planned;
    const std::string actor = event.asker.empty() ? "libvirt-hook:" + event.host : event.asker;
    if (event.kind == api::HostEventKind::Back) {
        if (!planned) return api::HostEventReply{"no planned shutdown of " + event.host + " to end"};
        const std::string what = engine::describePlan(*planned, host.profile);
        planned.reset();
        host.silentSincePlanned = false;
        saveHost(host);
        report(engine::Event::aboutHost(event.host, "back after its " + what + " (its hook says)"));
        audit(actor, event.host, "host-back", "back after its " + what);
        reconcile();
        return api::HostEventReply{event.host + " back: its plan ended"};
    }
    const auto kind = event.kind == api::HostEventKind::Reboot ? engine::PlannedKind::Reboot : engine::PlannedKind::Shutdown;
    if (!planned || planned->kind != kind) {
        // A reboot announced after a shutdown (or the other way round) is the later word; the
        // grace still runs from the first announcement.
        const WallTime announced = planned ? planned->announced : ports.wall.now();
        auto stopped = planned ? planned->stoppedServices : std::vector<std::string>{};
        planned = engine::PlannedShutdown{kind, announced, std::move(stopped)};
        const std::string what = engine::describePlan(*planned, host.profile);
        const engine::PlanNow plan = engine::planNow(*planned, host.profile, ports.wall.now());
        const std::string grace = policy::formatDuration(host.profile.shutdownGrace);
        const std::string meaning =
            plan.holdsFence() ? "never fenced within shutdown_grace (" + grace + ")"
                              : "a VM it reports stopped restarts elsewhere without a fence, any other after one";
        report(engine::Event::aboutHost(event.host, "announced a " + what + ": " + meaning)
                   .with("planned", engine::toString(kind)));
        audit(actor, event.host, std::string("host-") + engine::toString(kind), what);
    }
    std::string reply = event.host + ": " + engine::describePlan(*planned, host.profile);
    if (!event.domain.empty()) {
        const policy::ServicePolicy* service = serviceOfDomain(*policy, event.domain, "");
        if (service == nullptr) return api::HostEventReply{reply + "; " + event.domain + " is not protected"};
        auto& stopped = planned->stoppedServices;
        const auto at = std::lower_bound(stopped.begin(), stopped.end(), service->name);
        if (at == stopped.end() || *at != service->name) {
            stopped.insert(at, service->name);
            report(engine::Event::aboutService(service->name, "its domain ended on " + event.host + " (" +
                                                                  engine::describePlan(*planned, host.profile) +
                                                                  "; its hook says)"));
        }
        reply += "; " + service->name + " noted stopped";
    }
    saveHost(host);
    reconcile();
    return api::HostEventReply{reply};
}

void Runtime::State::writeDueHostEventRefusals() {
    for (const auto& row : hostEventRefusals.due(ports.clock.now())) writeAudit(row);
}

void Runtime::State::endPlanWhenBack(HostEntry& host) {
    if (!host.observation.planned) return;
    if (!host.silentSincePlanned &&
        (host.observation.missedRounds > 0 || host.observation.libvirt == hv::Reachability::Unreachable)) {
        host.silentSincePlanned = true;
        saveHost(host);  // a daemon restarted now still knows that the host's return ends the plan
    }
    // Back when both signals answer again: the hook's "back" may be lost or come late. A host that
    // answers past its grace without ever falling silent where this daemon saw it (it went down and
    // came back while the daemon was stopped, or its shutdown was cancelled) is back too: kept
    // announced, it would take no VM for ever.
    const bool answers = host.observation.health == engine::HostHealthState::Ok &&
                         host.observation.libvirt == hv::Reachability::Reachable;
    const bool pastGrace = !engine::planNow(*host.observation.planned, host.profile, ports.wall.now()).withinGrace;
    if (!answers || !(host.silentSincePlanned || pastGrace)) return;
    const std::string what = engine::describePlan(*host.observation.planned, host.profile);
    const bool wentSilent = host.silentSincePlanned;
    host.observation.planned.reset();
    host.silentSincePlanned = false;
    saveHost(host);
    report(engine::Event::aboutHost(host.observation.name,
                                    wentSilent ? "back after its " + what
                                               : "its " + what + " is over: it answers past shutdown_grace (" +
                                                     policy::formatDuration(host.profile.shutdownGrace) +
                                                     ") and was never seen going down"));
}

}  // namespace faxover::orchestrator::runtime
