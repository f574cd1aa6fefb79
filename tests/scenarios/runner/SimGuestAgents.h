#pragma once
// The Faxover guest agents of a scenario's fax VMs (docs/guest-agent.md), simulated: what each
// agent's heartbeat says of its fax service, through the runner's GuestHealthProbe, and its
// answers to restart-service, quiesce and resume (GuestAgentCommands). Only a domain named by
// `guest-agent DOMAIN` has one: every other domain gives the daemon no guest data, exactly as
// before agents existed.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/ports/GuestAgentCommands.h"
#include "faxover/orchestrator/ports/GuestHealthProbe.h"
#include "faxover/orchestrator/ports/WallClock.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace faxover::scenario {

class SimGuestAgents final : public orchestrator::ports::GuestHealthProbe,
                             public orchestrator::ports::GuestAgentCommands {
public:
    // `wall`: the simulated wall clock, for the heartbeats' times.
    SimGuestAgents(hv::sim::SimulatedHypervisor& hypervisor, const orchestrator::ports::WallClock& wall)
        : hypervisor_(hypervisor), wall_(wall) {}

    // ---- the scenario's commands (tests/scenarios/README.md)
    void install(const std::string& domain) { agents_[domain]; }
    bool has(const std::string& domain) const { return agents_.contains(domain); }
    // The fax service dies (up: false) until a restart of it or of the VM, or comes back by itself.
    void setFaxUp(const std::string& domain, bool up) { agents_[domain].faxDown = !up; }
    // The fax service is down whenever the VM runs on `host` (a fault of that host's line or
    // trunk): no restart there helps.
    void breakOn(const std::string& host, const std::string& domain) { agents_[domain].brokenOn.insert(host); }
    void setHeartbeats(const std::string& domain, bool sent) { agents_[domain].silent = !sent; }
    void failRestarts(int count) { restartFailures_ = count; }
    void failQuiesces(int count) { quiesceFailures_ = count; }
    // A fresh boot of the VM (not a live migration's arrival): the fax service starts with it.
    void booted(const std::string& domain) {
        if (auto it = agents_.find(domain); it != agents_.end()) it->second.faxDown = false;
    }

    std::optional<orchestrator::engine::GuestHealth> check(const std::string& host, const std::string& domain) override;
    hv::Result<std::string> run(const orchestrator::ports::GuestAgentRequest& request) override;

private:
    struct Agent {
        bool faxDown = false;
        bool silent = false;
        bool quiesced = false;
        std::int64_t lastHeartbeatNs = 0;  // the wall clock's when the last heartbeat was read; 0: none
        std::set<std::string> brokenOn{};
    };
    // The agent of the domain (by name or UUID) running on `host`; nullptr when it has none.
    Agent* agentOf(const std::string& host, const std::string& domain, std::string* name = nullptr);

    hv::sim::SimulatedHypervisor& hypervisor_;
    const orchestrator::ports::WallClock& wall_;
    std::map<std::string, Agent> agents_;  // by domain name
    int restartFailures_ = 0;
    int quiesceFailures_ = 0;
};

}  // namespace faxover::scenario
