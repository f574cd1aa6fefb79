#pragma once
// The ports that have no real counterpart in a simulation, backed by the scenario's own model of
// which hosts are alive: the TCP prober (a host's kernel answers unless it is powered off or cut
// off the network) and a fence agent that powers simulated hosts off, failing on request.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/ports/FenceAgent.h"
#include "faxover/orchestrator/ports/LicenceSteps.h"
#include "faxover/orchestrator/ports/TelcoHooks.h"
#include "faxover/orchestrator/ports/TcpProber.h"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace faxover::scenario {

// What the scenario did to each host, and to the orchestrator's own link, as far as the network can tell.
struct HostFaults {
    std::set<std::string> poweredOff;
    std::set<std::string> cut;
    std::set<std::string> probeBlocked;  // a firewall drops the management port; libvirt still answers
    std::set<std::string> libvirtdDown;  // crashed and not restarted (a power cycle restarts it)
    bool orchestratorCut = false;        // the orchestrator's own link is down: nothing answers it
    bool witnessDown = false;            // the policy's fencing.witness does not answer
    // Hosts that answered the orchestrator's last probe round at least one signal (noted by the
    // prober while the link is up), and those of them still connected when the link went down:
    // the hosts whose silence began with the orchestrator's cut.
    std::set<std::string> answeredLastRound;
    std::set<std::string> silencedByTheCut;
    bool answers(const std::string& host) const {
        return !orchestratorCut && !poweredOff.contains(host) && !cut.contains(host) && !probeBlocked.contains(host);
    }
    bool witnessAnswers() const { return !orchestratorCut && !witnessDown; }
    // Whether the host would answer the orchestrator at least one signal if its link were up: a
    // host silent for reasons of its own may be fenced whatever the orchestrator's link does.
    bool answersButForTheOrchestrator(const std::string& host) const {
        return !poweredOff.contains(host) && !cut.contains(host) &&
               (!probeBlocked.contains(host) || !libvirtdDown.contains(host));
    }
    // The orchestrator's link goes down (or up). A host that failed before the cut, or came back
    // too late for a round to hear it, went silent for reasons of its own: the orchestrator may
    // still fence it on the evidence of the rounds before the cut.
    void setOrchestratorCut(bool down) {
        if (down && !orchestratorCut) {
            silencedByTheCut.clear();
            for (const auto& host : answeredLastRound)
                if (answersButForTheOrchestrator(host)) silencedByTheCut.insert(host);
        }
        orchestratorCut = down;
    }
    // A fence of this host now breaks the isolation invariant (docs/invariants.md): it is powered
    // and connected, and silent only since the orchestrator's own cut.
    bool fenceWouldBreakIsolation(const std::string& host) const {
        return orchestratorCut && silencedByTheCut.contains(host) && answersButForTheOrchestrator(host);
    }
};

class SimTcpProber final : public orchestrator::ports::TcpProber {
public:
    SimTcpProber(HostFaults& faults, std::map<std::string, std::string> hostOfAddress)
        : faults_(faults), hostOfAddress_(std::move(hostOfAddress)) {}
    std::vector<bool> probe(const std::vector<orchestrator::ports::ProbeTarget>& targets, hv::Duration timeout) override;

private:
    HostFaults& faults_;  // it notes who answered each round
    std::map<std::string, std::string> hostOfAddress_;
};

class SimFenceAgent final : public orchestrator::ports::FenceAgent {
public:
    SimFenceAgent(hv::sim::SimulatedHypervisor& hypervisor, HostFaults& faults)
        : hypervisor_(hypervisor), faults_(faults) {}
    void failNext(const std::string& host, int count) { failuresLeft_[host] = count; }
    // Fences of a powered, connected host while only the orchestrator's own link was down: the
    // isolation invariant (docs/invariants.md) says there are none. Taken once by the checker.
    std::vector<std::string> takeIsolationViolations() { return std::exchange(isolationViolations_, {}); }
    hv::Result<orchestrator::ports::FenceConfirmation> powerOff(const policy::HostPolicy& host,
                                                                 const policy::FenceLevel& level) override;

private:
    hv::sim::SimulatedHypervisor& hypervisor_;
    HostFaults& faults_;
    std::map<std::string, int> failuresLeft_;
    std::vector<std::string> isolationViolations_;
};

// Licence apply and revoke steps: they succeed unless a scenario says `licence-step-fails N`.
class SimLicenceSteps final : public orchestrator::ports::LicenceSteps {
public:
    void failNext(int count) { failuresLeft_ = count; }
    hv::Result<std::string> run(const orchestrator::ports::LicenceStepRequest& request) override {
        const std::string event = request.event == orchestrator::ports::LicenceEvent::Apply ? "apply" : "revoke";
        if (failuresLeft_ > 0) {
            --failuresLeft_;
            return hv::Error{hv::ErrorKind::OperationFailed, "licence " + request.licence->id + " " + event +
                                                                 " step: exit 1: licence server refused"};
        }
        return "licence " + request.licence->id + " " + event + " on " + request.host + " for " + request.service;
    }

private:
    int failuresLeft_ = 0;
};

// Telco hooks after a board move: they succeed unless a scenario says `telco-hook-fails N`.
class SimTelcoHooks final : public orchestrator::ports::TelcoHooks {
public:
    void failNext(int count) { failuresLeft_ = count; }
    hv::Result<std::string> run(const orchestrator::ports::BoardMove& move) override {
        if (failuresLeft_ > 0) {
            --failuresLeft_;
            return hv::Error{hv::ErrorKind::OperationFailed, "telco hook " + move.hook->command +
                                                                 ": exit 2: carrier portal refused the reroute"};
        }
        return "trunk " + (move.trunkGroup.empty() ? std::string("(any)") : move.trunkGroup) + " rerouted to " +
               move.toHost + " board " + move.toBoard;
    }

private:
    int failuresLeft_ = 0;
};

}  // namespace faxover::scenario
