// Observations in, decisions out: the runtime's deciding half. See Runtime.h.
#include "RuntimeState.h"

#include "faxover/orchestrator/engine/Engine.h"
#include "faxover/orchestrator/engine/MaintenanceWindows.h"
#include "faxover/orchestrator/engine/OwnConnectivity.h"
#include "faxover/orchestrator/runtime/Monitor.h"

#include <algorithm>
#include <limits>

namespace faxover::orchestrator::runtime {

namespace {

void countGuestRounds(engine::ServiceObservation& observation) {
    // Rounds, not decisions: the engine decides more often than the monitor reads the agents.
    constexpr int kMost = std::numeric_limits<int>::max() - 1;
    const auto& guest = observation.guest;
    const bool down = guest && guest->agentAnswered && !guest->faxServiceUp;
    const bool silent = guest && !guest->agentAnswered;
    observation.faxDownRounds = down ? std::min(observation.faxDownRounds + 1, kMost) : 0;
    observation.heartbeatsMissedRounds = silent ? std::min(observation.heartbeatsMissedRounds + 1, kMost) : 0;
}

}  // namespace

Runtime::Runtime(RuntimePorts ports, std::shared_ptr<const policy::Policy> policy, std::string policyFile,
                 FenceRetry fenceRetry, DecisionLoop::Mode mode)
    : state_(std::make_unique<State>(ports, std::move(policy), std::move(policyFile), fenceRetry, mode)) {
    state_->adoptPolicy();  // before any other thread can reach the state
}

Runtime::~Runtime() { stop(); }

void Runtime::stop() {
    auto& s = *state_;
    if (s.loop.stopped()) return;
    s.stopping = true;
    // Whatever the loop is deciding now is the last decision: after this barrier nothing new starts.
    drain();
    {
        // Work on the executors calls back into this object (and may ask the loop): wait for all of
        // it while the loop still runs, then let the loop record the outcomes it sent.
        std::unique_lock lock(s.workMutex);
        s.workDone.wait(lock, [&] { return s.workRunning == 0; });
    }
    drain();
    s.loop.stop();
}

void Runtime::drain() {
    auto& loop = state_->loop;
    if (loop.onLoopThread()) return;
    (void)loop.call([] { return true; }, DecisionLoop::kNoBound);
}

hv::Result<void> Runtime::resume() {
    auto answer = state_->loop.call([s = state_.get()] { return s->load(); }, DecisionLoop::kNoBound);
    if (!answer.value) return hv::Error{hv::ErrorKind::OperationFailed, "the daemon is stopping"};
    return std::move(*answer.value);
}

void Runtime::replacePolicy(std::shared_ptr<const policy::Policy> policy) {
    state_->enqueue([s = state_.get(), policy = std::move(policy)]() mutable {
        s->policy = std::move(policy);
        s->adoptPolicy();
        s->report(engine::Event::about(engine::EventKind::Policy,
                                       "reloaded from " + s->policyFile + ": " + std::to_string(s->policy->hosts.size()) +
                                           " hosts, " + std::to_string(s->policy->services.size()) + " services"));
        s->audit("daemon", "policy", "reload", "SIGHUP", s->policyFile);
        s->reconcile();
    });
}

void Runtime::setAnswerBound(std::chrono::milliseconds bound) { state_->answerBoundMs = bound.count(); }

std::string Runtime::State::describeAnswerBound() const {
    const auto bound = answerBoundMs.load();
    return bound % 1000 == 0 ? std::to_string(bound / 1000) + " s" : std::to_string(bound) + " ms";
}

std::shared_ptr<const policy::Policy> Runtime::policy() const {
    std::lock_guard lock(state_->policyMutex);
    return state_->publishedPolicy;
}

std::function<void()> Runtime::State::unlessIgnoringInput(std::function<void()> work) {
    return [this, work = std::move(work)] {
        if (!ignoresInput()) work();
    };
}

void Runtime::State::enqueue(std::function<void()> work) {
    if (ignoresInput()) return;
    loop.post(unlessIgnoringInput(std::move(work)));
}

bool Runtime::State::offer(std::function<void()> work) {
    if (ignoresInput()) return true;  // not dropped for want of room: nothing is taken any more
    return loop.offer(unlessIgnoringInput(std::move(work)));
}

void Runtime::State::workStarted() {
    std::lock_guard lock(workMutex);
    ++workRunning;
}

void Runtime::State::workEnded(std::function<void()> report) {
    if (report)
        loop.post([this, report = std::move(report)] {
            if (!isKilled()) report();
        });
    std::lock_guard lock(workMutex);
    --workRunning;
    workDone.notify_all();
}

void Runtime::State::adoptPolicy() {
    std::map<std::string, HostEntry> keptHosts;
    for (const auto& host : policy->hosts) {
        auto old = hosts.find(host.name);
        if (old == hosts.end()) {
            keptHosts.emplace(host.name, HostEntry(host));
        } else if (old->second.profile == host.monitoring) {
            keptHosts.emplace(host.name, std::move(old->second));
        } else {
            // A new counting profile cannot keep the old counts: the tracker restarts from
            // Unknown, which can only delay a failover (failoverCountAfterRestart), never hasten one.
            HostEntry entry(host);
            entry.observation = old->second.observation;
            entry.observation.health = engine::HostHealthState::Unknown;
            entry.adminMaintenance = old->second.adminMaintenance;
            entry.revision = old->second.revision;
            entry.fence = old->second.fence;
            keptHosts.emplace(host.name, std::move(entry));
        }
    }
    hosts = std::move(keptHosts);
    std::map<std::string, ServiceEntry> keptServices;
    for (const auto& service : policy->services) {
        auto old = services.find(service.name);
        keptServices.emplace(service.name, old != services.end() ? std::move(old->second) : ServiceEntry{});
    }
    services = std::move(keptServices);
    std::lock_guard lock(policyMutex);
    publishedPolicy = policy;
}

void Runtime::observeRound(RoundObservation round) {
    auto* s = state_.get();
    const bool queued = s->offer([s, round = std::move(round)] {
        if (const auto lost = s->droppedRounds.exchange(0); lost > 0)
            s->report(engine::Event::about(engine::EventKind::Daemon,
                                           std::to_string(lost) + " monitor readings dropped: the decision queue was full (" +
                                               std::to_string(s->loop.capacity()) + " waiting)")
                          .with("dropped", std::to_string(lost))
                          .warning());
        s->observe(round);
    });
    if (!queued) ++s->droppedRounds;  // the next round reads every host again
}

void Runtime::State::observe(const RoundObservation& round) {
    auto& s = *this;
    const WallTime now = s.ports.wall.now();
    s.assessConnectivity(round);
    for (const auto& seen : round.hosts) {
        auto it = s.hosts.find(seen.host);
        if (it == s.hosts.end()) continue;
        HostEntry& host = it->second;
        engine::ProbeRound probe = seen.probe;
        probe.ownConnectivityConfirmed = s.connectivity.confirmed;
        if (auto transition = host.tracker.observe(probe)) {
            host.healthSince = now;
            host.healthReason = transition->reason;
            const bool worse = transition->to == engine::HostHealthState::Suspect ||
                               transition->to == engine::HostHealthState::Failed;
            // A host that announced going down is expected to fall silent: no alert for that (past
            // its grace the engine alerts, on the services it then fails over).
            s.report(engine::Event::aboutHost(seen.host, transition->describe().substr(seen.host.size() + 2))
                         .with("health", toString(transition->to))
                         .alertIf(worse && !host.observation.planned));
        }
        auto& observation = host.observation;
        observation.health = host.tracker.state();
        observation.roundsInState = host.tracker.roundsInState();
        // "Reachable" means "answered": only a listing proves what the host runs (or does not), so
        // a connection without one (just reconnected, listing failed) counts as unknown.
        observation.libvirt = seen.probe.libvirt == hv::Reachability::Reachable && !seen.domains
                                  ? hv::Reachability::Unknown
                                  : seen.probe.libvirt;
        if (seen.inventory) {
            observation.freeMemoryMiB = seen.inventory->freeMemoryKiB / 1024;
            observation.cpus = static_cast<int>(seen.inventory->cpus);
        }
        if (seen.boards) observation.boards = seen.boards;
        // What this host runs: a listing replaces its copies; a lost connection leaves none (unknown,
        // not absent: the engine reads that from `libvirt`). A connected host whose listing was
        // late keeps what it last said, lifecycle events included.
        if (seen.domains || observation.libvirt == hv::Reachability::Unreachable) s.forgetCopiesOn(seen.host);
        if (seen.domains) {
            for (const auto& domain : *seen.domains) {
                const auto* service = serviceOfDomain(*s.policy, domain.name, domain.uuid);
                if (service == nullptr) continue;
                auto& entry = s.services[service->name];
                entry.observation.copies.push_back({seen.host, domain.state});
                if (domain.active() || entry.observation.memoryMiB == 0) {
                    entry.observation.memoryMiB = domain.memoryKiB / 1024;
                    entry.observation.vcpus = static_cast<int>(domain.vcpus);
                }
            }
        }
        if (observation.health == engine::HostHealthState::Ok) s.noteHostAnswered(host);
        s.endPlanWhenBack(host);
    }
    for (const auto& details : round.details) {
        auto it = s.services.find(details.service);
        if (it == s.services.end()) continue;
        if (!details.xml.empty()) s.noteDefinition(it->second, details.xml);
        if (!details.uuid.empty()) it->second.uuid = details.uuid;
        it->second.observation.liveMigrationBlocker = details.liveMigrationBlocker;
    }
    for (auto& [name, service] : s.services) service.observation.guest.reset();
    for (const auto& report : round.guests)
        if (auto it = s.services.find(report.service); it != s.services.end()) it->second.observation.guest = report.health;
    for (auto& [name, service] : s.services) countGuestRounds(service.observation);
    s.applyMaintenanceWindows();
    s.pumpFences();
    s.reconcile();
}

void Runtime::State::assessConnectivity(const RoundObservation& round) {
    for (const auto& seen : round.hosts) {
        auto it = hosts.find(seen.host);
        if (it == hosts.end()) continue;
        int& missed = it->second.observation.missedRounds;
        const bool answered = seen.probe.tcpAnswered || seen.probe.libvirt == hv::Reachability::Reachable;
        missed = answered ? 0 : std::min(missed + 1, std::numeric_limits<int>::max() - 1);
    }
    witnessAnswered = round.witnessAnswered;
    std::map<std::string, engine::HostObservation> observed;
    for (const auto& [name, host] : hosts) observed.emplace(name, host.observation);
    const engine::OwnConnectivity now = engine::assessOwnConnectivity(*policy, observed, witnessAnswered);
    if (now.confirmed != connectivity.confirmed) {
        const std::string message =
            now.confirmed ? "connectivity restored: " + now.describe() + "; silent hosts count toward failure again"
                          : "orchestrator isolated: " + now.describe() +
                                "; no host is failed and nothing is fenced until the hosts or the witness answer, or "
                                "an admin confirms a host off with 'faxover fence confirm HOST'";
        report(engine::Event::about(engine::EventKind::Daemon, message)
                   .with("hosts_silent", std::to_string(now.hostsSilent) + " of " + std::to_string(now.hostsVoting))
                   .with("witness", !now.witnessNamed ? "none" : now.witnessAnswered ? "answers" : "silent")
                   .alertIf(!now.confirmed));
    }
    connectivity = now;
}

void Runtime::State::forgetCopiesOn(const std::string& host) {
    for (auto& [name, service] : services)
        std::erase_if(service.observation.copies, [&](const auto& copy) { return copy.host == host; });
}

void Runtime::State::noteHostAnswered(HostEntry& host) {
    // Both signals answer: whatever fencing was under way or confirmed is over. A confirmed fence
    // describes a past power-off, not a host that runs again (possibly with stale definitions).
    if (host.observation.fence == engine::FenceStatus::None) return;
    if (host.fence && host.fence->running) return;  // the agent's answer decides; see fenceAttemptDone
    cancelFence(host, "host answers again");
}

void Runtime::State::applyMaintenanceWindows() {
    const WallTime now = ports.wall.now();
    for (auto& [name, host] : hosts) {
        const auto window = engine::activeMaintenance(*policy, name, now);
        const std::string windowName = window ? window->name : "";
        if (windowName != host.window) {
            if (window)
                report(engine::Event::aboutHost(name, "maintenance window '" + windowName + "' open (" +
                                                          toString(window->action) + ")")
                           .with("window", windowName));
            else
                report(engine::Event::aboutHost(name, "maintenance window '" + host.window + "' closed")
                           .with("window", host.window));
            host.window = windowName;
        }
        const bool drain = window && window->action == policy::MaintenanceAction::Drain;
        host.observation.maintenance = host.adminMaintenance || drain;
        host.observation.monitoringSuspended = window && window->action == policy::MaintenanceAction::SuspendMonitoring;
    }
}

void Runtime::onHypervisorEvent(const hv::HypervisorEvent& event) {
    state_->enqueue([s = state_.get(), event] { s->observe(event); });
}

void Runtime::State::observe(const hv::HypervisorEvent& event) {
    auto& s = *this;
    if (const auto* hostEvent = std::get_if<hv::HostEvent>(&event)) {
        auto it = s.hosts.find(hostEvent->host);
        if (it == s.hosts.end()) return;
        // A lost connection counts at once; a regained one only with the next round's listing
        // (see observeRound), or the engine would read "no copy there" before anyone looked.
        if (hostEvent->status.reachability == hv::Reachability::Reachable) return;
        it->second.observation.libvirt = hostEvent->status.reachability;
        s.forgetCopiesOn(hostEvent->host);
        s.reconcile();
        return;
    }
    const auto& domainEvent = std::get<hv::DomainEvent>(event);
    const auto* service = serviceOfDomain(*s.policy, domainEvent.domainName, domainEvent.uuid);
    if (service == nullptr || !s.hosts.contains(domainEvent.host)) return;
    using hv::DomainLifecycle;
    hv::DomainState state;
    switch (domainEvent.lifecycle) {
    case DomainLifecycle::Started:
    case DomainLifecycle::Resumed: state = hv::DomainState::Running; break;
    case DomainLifecycle::Suspended: state = hv::DomainState::Paused; break;
    case DomainLifecycle::Stopped:
    case DomainLifecycle::Crashed: state = hv::DomainState::Shutoff; break;
    case DomainLifecycle::Undefined: state = hv::DomainState::NoState; break;
    default: return;  // defined, shutdown in progress, pm-suspended: the next listing tells
    }
    auto& copies = s.services[service->name].observation.copies;
    std::erase_if(copies, [&](const auto& copy) { return copy.host == domainEvent.host; });
    if (state != hv::DomainState::NoState) copies.push_back({domainEvent.host, state});
    s.reconcile();
}

void Runtime::tick() {
    state_->enqueue([s = state_.get()] { s->onTick(); });
}

void Runtime::State::onTick() {
    applyMaintenanceWindows();
    pumpFences();
    writeDueHookRefusals();
    writeDueHostEventRefusals();
    reconcile();
}

void Runtime::killForTest(KillPoint point) { state_->killed.store(1 + static_cast<int>(point)); }

void Runtime::State::report(engine::Event event) {
    event.time = ports.wall.now();
    ports.events.deliver(std::move(event));
}

void Runtime::State::reportStoreFailure(const std::string& what, const std::string& error) {
    report(engine::Event::about(engine::EventKind::Store, what + ": " + error).with("error", error).alert());
}

engine::EngineInput Runtime::State::decisionInput(const std::vector<engine::AdminCommand>& commands) {
    engine::EngineInput input;
    input.policy = policy.get();
    input.now = ports.wall.now();
    for (const auto& [name, host] : hosts) input.hosts.emplace(name, host.observation);
    for (const auto& [name, service] : services) {
        input.services.emplace(name, service.observation);
        if (service.remembered) input.memory.emplace(name, service.memory);
    }
    for (const auto& [id, action] : inFlight) input.inFlight.push_back(action);
    input.finished = finished;
    input.commands = commands;
    input.ledger = ledger;
    input.boards = boards;
    input.witnessAnswered = witnessAnswered;
    return input;
}

std::vector<engine::CommandVerdict> Runtime::State::reconcile(const std::vector<engine::AdminCommand>& commands,
                                                             const CommandAudit* audit) {
    if (stopping.load()) return {};  // stop() began: no new decision, nothing new starts
    engine::EngineInput input = decisionInput(commands);
    finished.clear();

    engine::Decision decision = engine::decide(input);

    // Invariant 3: the decision's intents and the states they lead to are stored before anything
    // runs; if the store refuses, nothing runs and the same decision is taken again next time.
    store::Batch batch;
    std::vector<std::string> changed;
    for (const auto& [name, memory] : decision.memory) {
        const ServiceEntry& entry = services[name];
        if (entry.remembered && entry.memory == memory) continue;
        batch.add(store::PutServiceState{name, toRecord(memory, entry.definitionXml), entry.revision});
        changed.push_back(name);
    }
    const WallTime now = input.now;
    for (const auto& action : decision.actions)
        batch.add(store::AppendIntent{toIntent(action, now)});
    addLedgerWrites(batch, ledger, decision.seats, decision.ledger, now);
    addBoardWrites(batch, boards, decision.boards, now);
    if (audit != nullptr && !decision.verdicts.empty()) {
        const engine::CommandVerdict& verdict = decision.verdicts.front();
        batch.add(auditRow(audit->actor, audit->subject, audit->verb, verdict.message,
                           verdict.accepted ? "accepted" : "refused"));
    }
    store::BatchResult stored;
    if (!batch.writes.empty()) {
        auto committed = ports.store.commit(batch);
        if (!committed) {
            reportStoreFailure("write failed, actions withheld", committed.error().message);
            for (auto& verdict : decision.verdicts)
                if (verdict.accepted)
                    verdict = {false, "the store could not record it, so nothing was done: " + committed.error().message};
            return decision.verdicts;
        }
        stored = std::move(committed.value());
    }
    for (auto& event : decision.log) ports.events.deliver(std::move(event));
    ledger = std::move(decision.seats);
    boards = std::move(decision.boards);
    for (std::size_t i = 0; i < changed.size(); ++i) {
        ServiceEntry& entry = services[changed[i]];
        entry.memory = decision.memory[changed[i]];
        entry.remembered = true;
        entry.revision = stored.revisions[i];
    }
    for (std::size_t i = 0; i < decision.actions.size(); ++i) dispatch(stored.intentIds[i], decision.actions[i]);
    return decision.verdicts;
}

}  // namespace faxover::orchestrator::runtime
