// The fence executor: runs a failed host's fence levels in order, each up to the policy's number
// of attempts, then backs off and starts over; never reports "off" without evidence (an agent's
// status OFF, libvirt showing the domains shut off, or an admin's confirmation).
#include "RuntimeState.h"

#include <algorithm>

namespace faxover::orchestrator::runtime {

namespace {

std::string describeLevel(const policy::FenceLevel& level) {
    if (level.method == policy::FenceMethod::Agent) return "agent " + level.command;
    return policy::toString(level.method);
}

// libvirt-destroy: the host's libvirtd still answers, so it can stop the protected domains itself.
hv::Result<std::string> destroyDomainsOn(hv::Hypervisor& hypervisor, const std::string& host,
                                         const std::vector<std::string>& domains) {
    for (const auto& domain : domains) {
        auto destroyed = hypervisor.destroyDomain(host, domain);
        if (!destroyed && destroyed.error().kind != hv::ErrorKind::NoSuchDomain &&
            destroyed.error().kind != hv::ErrorKind::OperationInvalid)
            return destroyed.error();
    }
    for (const auto& domain : domains) {
        auto info = hypervisor.domainInfo(host, domain);
        if (info && info.value().active())
            return hv::Error{hv::ErrorKind::OperationFailed, domain + " still active on " + host + " after destroy", host};
        if (!info && info.error().kind != hv::ErrorKind::NoSuchDomain) return info.error();
    }
    return std::string("libvirt on " + host + " shows every protected domain shut off");
}

}  // namespace

void Runtime::State::startFence(store::IntentId intent, const std::string& host) {
    HostEntry& entry = hosts.at(host);
    entry.fence = FenceJob{intent};
    entry.observation.fence = engine::FenceStatus::InProgress;
    std::string levels;
    for (const auto& level : policy->findHost(host)->fence) levels += (levels.empty() ? "" : ", ") + describeLevel(level);
    report(engine::Event::aboutHost(host, "fencing (" + levels + ")"));
    pumpFences();
}

void Runtime::State::pumpFences() {
    const hv::TimePoint now = ports.clock.now();
    for (auto& [name, entry] : hosts) {
        if (!entry.fence || entry.fence->running || now < entry.fence->notBefore) continue;
        FenceJob& job = *entry.fence;
        if (!connectivity.confirmed) {
            // Asked before the cut: the host's silence may be the orchestrator's own, so the next
            // attempt waits (an admin's 'fence confirm' still ends it).
            if (!job.announcedHeld)
                report(engine::Event::aboutHost(name, "fence held: orchestrator isolated (" + connectivity.describe() + ")")
                           .alert());
            job.announcedHeld = true;
            continue;
        }
        job.announcedHeld = false;
        const policy::HostPolicy& host = *policy->findHost(name);
        const policy::FenceLevel level = host.fence.at(job.level % host.fence.size());
        if (level.method == policy::FenceMethod::Manual) {
            entry.observation.fence = engine::FenceStatus::AwaitingAdmin;
            if (!job.announcedManual)
                report(engine::Event::aboutHost(name, "manual fencing: " +
                                                          (level.instructions.empty() ? "power the host off"
                                                                                      : level.instructions) +
                                                          "; then confirm with 'faxover fence confirm " + name + "'")
                           .alert());
            job.announcedManual = true;
            continue;
        }
        job.running = true;
        workStarted();
        std::vector<std::string> domains;
        for (const auto& service : policy->services) domains.push_back(service.domain.value);
        // Its own lane: however many migrations hold the other executor, a fence starts at once.
        ports.fenceExecutor.submit([this, name = name, host, level, domains] {
            if (skipsSteps()) return workEnded();
            hv::Result<std::string> result = hv::Error{};
            if (level.method == policy::FenceMethod::Agent) {
                auto confirmed = ports.fenceAgent.powerOff(host, level);
                if (confirmed) result = confirmed.value().evidence;
                else result = confirmed.error();
            } else {
                result = destroyDomainsOn(ports.hypervisor, name, domains);
            }
            workEnded([this, name, result = std::move(result)] { fenceAttemptDone(name, result); });
        });
    }
}

void Runtime::State::fenceAttemptDone(const std::string& hostName, hv::Result<std::string> result) {
    auto it = hosts.find(hostName);
    if (it == hosts.end() || !it->second.fence) return;  // left the policy meanwhile
    HostEntry& entry = it->second;
    FenceJob& job = *entry.fence;
    job.running = false;
    if (result) {
        (void)confirmFence(entry, result.value(), "daemon");  // never refused: see its comment
        reconcile();
        return;
    }
    const policy::HostPolicy& host = *policy->findHost(hostName);
    const auto& level = host.fence.at(job.level % host.fence.size());
    ++job.attempt;
    const int attempts = std::max(policy->fencing.attempts, 1);
    report(engine::Event::aboutHost(hostName, "fence attempt " + std::to_string(job.attempt) + "/" +
                                                  std::to_string(attempts) + " (" + describeLevel(level) +
                                                  ") failed: " + result.error().message)
               .with("level", describeLevel(level))
               .with("error", result.error().message)
               .alert());
    audit("daemon", "host " + hostName, "fence-attempt-failed", result.error().message, describeLevel(level));
    const hv::TimePoint now = ports.clock.now();
    job.notBefore = now + retry.betweenAttempts;
    if (job.attempt < attempts) return;
    job.attempt = 0;
    if (++job.level < host.fence.size()) return;
    job.level = 0;
    ++job.passes;
    hv::Duration backoff = retry.firstBackoff;
    for (int pass = 1; pass < job.passes && backoff < retry.maxBackoff; ++pass) backoff *= 2;
    backoff = std::min(backoff, retry.maxBackoff);
    job.notBefore = now + backoff;
    report(engine::Event::aboutHost(hostName, "every fence level failed (round " + std::to_string(job.passes) +
                                                  "); retrying in " + std::to_string(backoff.count() / 1000) +
                                                  " s; its services stay down until it is fenced")
               .alert());
}

hv::Result<void> Runtime::State::confirmFence(HostEntry& entry, const std::string& evidence, const std::string& actor) {
    const std::string& name = entry.observation.name;
    store::Batch record;
    if (entry.fence)
        record.add(store::RecordOutcome{entry.fence->intent, {store::OutcomeStatus::Succeeded, evidence, ports.wall.now()}});
    record.add(auditRow(actor, "host " + name, "fence-confirmed", evidence));
    if (auto stored = storeHost(entry, entry.adminMaintenance, true, std::move(record)); !stored) {
        if (actor != "daemon") return stored.error();
        reportStoreFailure("cannot record the fence of " + name, stored.error().message);
    }
    entry.fence.reset();
    entry.observation.fence = engine::FenceStatus::Confirmed;
    report(engine::Event::aboutHost(name, "fenced: " + evidence + (actor == "daemon" ? "" : " (" + actor + ")"))
               .with("evidence", evidence)
               .with("actor", actor));
    return hv::ok();
}

void Runtime::State::cancelFence(HostEntry& entry, const std::string& why) {
    if (entry.fence) recordOutcome(entry.fence->intent, store::OutcomeStatus::Abandoned, why);
    entry.fence.reset();
    entry.observation.fence = engine::FenceStatus::None;
    saveHost(entry);
    report(engine::Event::aboutHost(entry.observation.name, "fence cleared: " + why));
}

}  // namespace faxover::orchestrator::runtime
