#include "Steps.h"

#include "Random.h"

#include <functional>
#include <utility>

namespace faxover::fuzz {

namespace {

std::vector<std::string> hostsWhere(const ClusterModel& cluster, const std::function<bool(const std::string&)>& keep) {
    std::vector<std::string> hosts;
    for (const auto& host : cluster.hosts)
        if (keep(host)) hosts.push_back(host);
    return hosts;
}

}  // namespace

StepGenerator::StepGenerator(std::mt19937_64& random, const ClusterModel& cluster, StepOptions options)
    : random_(random), cluster_(cluster), options_(options), randomSteps_(uniform(random, 10, 40)) {}

std::optional<std::string> StepGenerator::next(const scenario::ReplayView& view) {
    track(view);
    if (!agentsInstalled_) {
        agentsInstalled_ = true;
        for (const auto& service : cluster_.services) queue_.push_back("guest-agent " + service);
    }
    if (queue_.empty()) {
        // A step may queue more commands behind it (plannedDown): it goes first.
        if (phase_ == Phase::Random && randomSteps_-- > 0) queue_.insert(queue_.begin(), randomStep(view));
        else if (phase_ == Phase::Random) phase_ = Phase::Settle;
        if (phase_ == Phase::Settle) settle(view);
        if (phase_ == Phase::Final && queue_.empty()) {
            queue_ = {"settled", "run 5"};
            phase_ = Phase::Done;
        }
    }
    if (queue_.empty()) return std::nullopt;
    // An armed kill may have gone off during a queued repair: the admin (or a host's hook) waits for the restart.
    if (!view.daemon && (queue_.front().starts_with("admin ") || queue_.front().starts_with("host-event ")))
        queue_.insert(queue_.begin(), "start-daemon");
    commands_.push_back(queue_.front());
    queue_.erase(queue_.begin());
    return commands_.back();
}

// What the generator cannot read from the view: whether an armed kill went off, which libvirtds
// are down (a boot starts libvirtd again).
void StepGenerator::track(const scenario::ReplayView& view) {
    const bool up = view.daemon != nullptr;
    if (daemonWasUp_ && !up && !commands_.empty() && commands_.back() != "kill-daemon") killArmed_ = false;
    daemonWasUp_ = up;
    for (const auto& host : view.faults.poweredOff) libvirtdDown_.erase(host);
}

std::string StepGenerator::randomStep(const scenario::ReplayView& view) {
    const auto& faults = view.faults;
    const auto on = hostsWhere(cluster_, [&](const auto& h) { return !faults.poweredOff.contains(h); });
    const auto off = hostsWhere(cluster_, [&](const auto& h) { return faults.poweredOff.contains(h); });
    const auto cut = hostsWhere(cluster_, [&](const auto& h) { return faults.cut.contains(h); });
    const auto uncut = hostsWhere(cluster_, [&](const auto& h) { return !faults.cut.contains(h); });
    const auto blocked = hostsWhere(cluster_, [&](const auto& h) { return faults.probeBlocked.contains(h); });
    const auto libvirtdUp = hostsWhere(cluster_, [&](const auto& h) { return !faults.poweredOff.contains(h) && !libvirtdDown_.contains(h); });
    const std::vector<std::string> libvirtdDown(libvirtdDown_.begin(), libvirtdDown_.end());
    std::vector<std::pair<std::string, std::string>> running;  // (host, domain) where a VM really runs
    for (const auto& service : cluster_.services)
        for (const auto& host : view.hypervisor.hostsRunningForTest(service)) running.emplace_back(host, service);
    const bool up = view.daemon != nullptr;

    // (weight, command): the weights make faults common and their repair likely soon after.
    std::vector<std::pair<int, std::function<std::string()>>> choices;
    auto add = [&](bool possible, int weight, std::function<std::string()> make) {
        if (possible) choices.emplace_back(weight, std::move(make));
    };
    auto n = [&](int low, int high) { return std::to_string(uniform(random_, low, high)); };
    add(true, 30, [&] { return "run " + std::to_string(pick(random_, std::vector<int>{1, 2, 3, 4, 6, 8, 12, 20})); });
    add(on.size() > 0, 6, [&] { return "power-off " + pick(random_, on); });
    add(off.size() > 0, 10, [&] { return "power-on " + pick(random_, off); });
    add(uncut.size() > 0, 5, [&] { return "cut " + pick(random_, uncut); });
    add(cut.size() > 0, 10, [&] { return "heal " + pick(random_, cut); });
    add(running.size() > 0, 6, [&] {
        const auto& [host, domain] = pick(random_, running);
        return "crash-vm " + host + " " + domain;
    });
    add(libvirtdUp.size() > 0, 3, [&] {
        const auto host = pick(random_, libvirtdUp);
        libvirtdDown_.insert(host);
        return "crash-libvirtd " + host;
    });
    add(libvirtdDown.size() > 0, 8, [&] {
        const auto host = pick(random_, libvirtdDown);
        libvirtdDown_.erase(host);
        return "restart-libvirtd " + host;
    });
    // The orchestrator's own link: every host and the witness go silent at once while the cluster
    // runs on; nothing may be fenced for it (SimFenceAgent's isolation check).
    add(!faults.orchestratorCut, 2, [&] { return std::string("orchestrator-link-down"); });
    add(faults.orchestratorCut, 8, [&] { return std::string("orchestrator-link-up"); });
    add(cluster_.witness && !faults.witnessDown, 1, [&] { return std::string("witness-down"); });
    add(faults.witnessDown, 6, [&] { return std::string("witness-up"); });
    add(true, 2, [&] { return "block-probe " + pick(random_, cluster_.hosts); });
    add(blocked.size() > 0, 6, [&] { return "unblock-probe " + pick(random_, blocked); });
    add(true, 3, [&] { return "fence-fails " + pick(random_, cluster_.hosts) + " " + n(1, 3); });
    add(true, 2, [&] { return "fail-starts " + pick(random_, cluster_.hosts) + " " + n(1, 2); });
    add(true, 1, [&] { return "fail-migrations " + n(1, 2); });
    add(true, 1, [&] { return "migration-takes " + pick(random_, std::vector<std::string>{"0", "2", "10"}); });
    add(true, 1, [&] { return "ignore-shutdown " + pick(random_, cluster_.services); });
    add(options_.telcoHooks, 2, [&] { return "telco-hook-fails " + n(1, 2); });
    // Fax health (docs/engine.md): a dead fax service escalates to VM restarts and relocations,
    // lost heartbeats do nothing, a quiesce may fail; none of it may break an invariant.
    auto faultAndRepair = [&](std::set<std::string>& faulty, int weight, std::string fault, std::string repair) {
        add(true, weight, [&faulty, fault, this] {
            const auto& service = pick(random_, cluster_.services);
            faulty.insert(service);
            return fault + " " + service;
        });
        add(!faulty.empty(), 4, [&faulty, repair, this] {
            const auto service = pick(random_, std::vector<std::string>(faulty.begin(), faulty.end()));
            faulty.erase(service);
            return repair + " " + service;
        });
    };
    faultAndRepair(faxDown_, 3, "fax-down", "fax-up");
    faultAndRepair(silentAgents_, 1, "heartbeats-lost", "heartbeats-back");
    add(true, 1, [&] { return "fax-restart-fails " + n(1, 3); });
    add(true, 1, [&] { return "quiesce-fails " + n(1, 2); });
    add(up, 3, [&] { return std::string("kill-daemon"); });
    add(up && !killArmed_, 3, [&] {
        killArmed_ = true;
        return "kill-daemon-at " + pick(random_, std::vector<std::string>{"fence", "start", "live-migrate", "cold-move"}) +
               (chance(random_, 0.5) ? " before" : " after");
    });
    // A planned shutdown or reboot: only of a host whose libvirtd answers, so that its VMs can be shut down.
    const auto announcing = hostsWhere(cluster_, [&](const auto& h) {
        return !faults.poweredOff.contains(h) && !faults.cut.contains(h) && !libvirtdDown_.contains(h);
    });
    // The hook reaches the orchestrator and libvirt-guests shuts guests down over the links the
    // simulator has: not while the orchestrator's own link is down.
    add(up && !faults.orchestratorCut && announcing.size() > 0, 2, [&] { return plannedDown(pick(random_, announcing), running); });
    add(!up, 30, [&] { return std::string("start-daemon"); });
    add(up, 15, [&] { return adminStep(view); });

    int total = 0;
    for (const auto& choice : choices) total += choice.first;
    int roll = uniform(random_, 1, total);
    for (const auto& [weight, make] : choices)
        if ((roll -= weight) <= 0) return make();
    return "run 1";
}

std::string StepGenerator::plannedDown(const std::string& host,
                                       const std::vector<std::pair<std::string, std::string>>& running) {
    const std::string kind = chance(random_, 0.5) ? "reboot" : "shutdown";
    // Sometimes the hook reports nothing more (it could not reach the orchestrator): the host just goes dark.
    if (chance(random_, 0.7)) {
        for (const auto& [where, domain] : running) {
            if (where != host) continue;
            queue_.push_back("guest-shutdown " + host + " " + domain);
            queue_.push_back("host-event " + host + " " + kind + " " + domain);
        }
    }
    if (chance(random_, 0.8)) queue_.push_back("power-off " + host);
    return "host-event " + host + " " + kind;
}

std::string StepGenerator::adminStep(const scenario::ReplayView& view) {
    // An admin confirms a fence only of a host that really is off: confirming a running host is
    // the admin's lie, which no orchestrator can survive.
    const auto off = hostsWhere(cluster_, [&](const auto& h) { return view.faults.poweredOff.contains(h); });
    const auto& service = pick(random_, cluster_.services);
    const auto& host = pick(random_, cluster_.hosts);
    switch (uniform(random_, 0, 14)) {
        case 0: return "admin migrate " + service + (chance(random_, 0.5) ? " " + host : "");
        case 1: return "admin failover " + service;
        case 2: return "admin failback " + service;
        case 3: return "admin maintenance enable " + host;
        case 4: return "admin maintenance disable " + host;
        case 5: return "admin suspend " + service;
        case 6: return "admin resume " + service;
        case 7: return "admin stop " + service;
        case 8: return "admin vm-stop " + service;
        case 9: return "admin vm-start " + service;
        case 10: return "admin disable " + service;
        case 11: return "admin enable " + service;
        case 12:
            if (options_.demote && !cluster_.standbys.empty()) return "admin demote " + pick(random_, cluster_.standbys);
            [[fallthrough]];
        default:
            return off.empty() ? "admin resume " + service : "admin fence-confirm " + pick(random_, off);
    }
}

// Settled: the daemon runs with no kill armed, the orchestrator's link and the witness are up, no
// host is cut, off, probe-blocked or without libvirtd, no fence waits for an admin (the admin
// powers the host off first if it is not), no host is in maintenance and no service is suspended
// or stopped, nor asked to be off (vm stop, disable). Each pass repairs what it finds and runs
// 10 s; a pass with nothing to repair ends it with 20 s more. Services in `error` stay as they are.
void StepGenerator::settle(const scenario::ReplayView& view) {
    const auto& faults = view.faults;
    std::vector<std::string> repairs;
    if (!view.daemon) repairs.push_back("start-daemon");
    if (killArmed_) repairs.push_back("kill-daemon-at none before");  // no intent is "none": disarms it
    killArmed_ = false;
    if (faults.orchestratorCut) repairs.push_back("orchestrator-link-up");
    if (faults.witnessDown) repairs.push_back("witness-up");
    for (const auto& host : cluster_.hosts) {
        if (faults.cut.contains(host)) repairs.push_back("heal " + host);
        if (faults.probeBlocked.contains(host)) repairs.push_back("unblock-probe " + host);
        if (libvirtdDown_.contains(host) && !faults.poweredOff.contains(host)) repairs.push_back("restart-libvirtd " + host);
    }
    libvirtdDown_.clear();
    for (const auto& service : faxDown_) repairs.push_back("fax-up " + service);
    for (const auto& service : silentAgents_) repairs.push_back("heartbeats-back " + service);
    faxDown_.clear();
    silentAgents_.clear();
    std::set<std::string> confirmed;
    if (view.daemon) {
        if (auto status = view.daemon->status()) {
            for (const auto& host : status.value().hosts) {
                if (host.fence == "awaiting-admin") {
                    if (!faults.poweredOff.contains(host.name)) repairs.push_back("power-off " + host.name);
                    repairs.push_back("admin fence-confirm " + host.name);
                    confirmed.insert(host.name);
                }
                if (host.maintenance) repairs.push_back("admin maintenance disable " + host.name);
                // An announced host that never went down: its libvirtd's start hook says it is back.
                if (!host.planned.empty()) repairs.push_back("host-event " + host.name + " back");
            }
            for (const auto& service : status.value().services) {
                if (service.state == "suspended" || service.state == "stopped") repairs.push_back("admin resume " + service.name);
                if (service.requested == "stopped") repairs.push_back("admin vm-start " + service.name);
                if (service.requested == "disabled") repairs.push_back("admin enable " + service.name);
            }
        }
    }
    for (const auto& host : cluster_.hosts)
        if (faults.poweredOff.contains(host) || confirmed.contains(host)) repairs.push_back("power-on " + host);
    ++settleRounds_;
    if (repairs.empty() || settleRounds_ > 8) {
        phase_ = Phase::Final;
        queue_.push_back("run 20");
        return;
    }
    queue_.insert(queue_.end(), repairs.begin(), repairs.end());
    queue_.push_back("run 10");
}

}  // namespace faxover::fuzz
