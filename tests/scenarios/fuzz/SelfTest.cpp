// fault_fuzzer --self-test: the licence and isolation checks fail when they should. A fuzzer whose checker
// cannot fail would report "0 violations" forever; these cases break each check on purpose, on a
// simulated cluster built by the runner's own code, and one case breaks none. The board checks'
// cases are BoardSelfTest.cpp's.
#include "SelfTest.h"

#include "Cluster.h"
#include "Invariants.h"
#include "SimPorts.h"

#include "faxover/policies/PolicyLoader.h"

#include <fstream>
#include <iostream>

namespace faxover::fuzz {

namespace {

using orchestrator::store::SeatRecord;

constexpr const char* kPolicy = R"(version: 1
hosts:
  - { name: h1, uri: "qemu+tcp://10.0.0.1/system", migration_address: 10.0.0.1, fence: { method: agent, command: fence_sim } }
  - { name: h2, uri: "qemu+tcp://10.0.0.2/system", migration_address: 10.0.0.2, fence: { method: agent, command: fence_sim } }
licences:
  - { id: lic-a, product: hylafax-enterprise, key_file: /etc/faxover/licences/lic-a.key, seats: 2 }
services:
  - { name: fax-a, domain: fax-a, telephony: sr140, licence: lic-a }
  - { name: fax-b, domain: fax-b, telephony: sr140, licence: lic-a }
  - { name: fax-c, domain: fax-c, telephony: sr140, role: standby }
)";

constexpr const char* kCluster = R"(hosts:
  - { name: h1 }
  - { name: h2 }
domains:
  - { name: fax-a, template: fax-1g, host: h1, running: true }
  - { name: fax-b, template: fax-1g, host: h2, running: true }
  - { name: fax-c, template: fax-1g, host: h2, running: false }
)";

struct Case {
    std::string name;
    std::vector<SeatRecord> ledger;
    bool settled;
    bool fewerSeats;  // the licence's seats cut to 1 (two services run)
    std::string expected;  // a violation containing this; "" for none
    bool standbyRuns = false;  // fax-c started on h2 first (cases with it come last)
};

// Invariant 6: a fence while only the orchestrator's link is down must be reported when the host is
// powered and connected and went silent with the cut, and only then. Returns the cases that
// misbehaved; fences h1 for real.
int isolationSelfTest(hv::sim::SimulatedHypervisor& hypervisor, const policy::Policy& policy, std::size_t& cases) {
    struct IsolationCase {
        std::string name;
        std::string host;
        bool hostCut;               // cut just before the orchestrator's link goes down
        bool answeredBeforeTheCut;  // the last round before the cut heard from it
        bool expected;
    };
    const std::vector<IsolationCase> isolationCases{
        {"a cut host fenced while the orchestrator is cut off too", "h2", true, true, false},
        {"a host silent before the cut fenced on that evidence", "h2", false, false, false},
        {"a connected host fenced while the orchestrator is cut off", "h1", false, true, true},
    };
    cases = isolationCases.size();
    int failed = 0;
    for (const auto& test : isolationCases) {
        scenario::HostFaults faults;
        if (test.answeredBeforeTheCut) faults.answeredLastRound.insert(test.host);
        if (test.hostCut) faults.cut.insert(test.host);
        faults.setOrchestratorCut(true);
        scenario::SimFenceAgent agent(hypervisor, faults);
        (void)agent.powerOff(*policy.findHost(test.host), policy.findHost(test.host)->fence.front());
        const bool fired = !agent.takeIsolationViolations().empty();
        if (fired != test.expected) {
            ++failed;
            std::cerr << "self-test FAILED: " << test.name << ": expected " << (test.expected ? "a violation" : "none")
                      << "\n";
        }
    }
    return failed;
}

}  // namespace

int selfTest(const Workspace& workspace) {
    const auto directory = workspace.sequence();
    std::ofstream(directory / "policy.yaml") << kPolicy;
    std::ofstream(directory / "cluster.yaml") << kCluster;
    auto loaded = policy::loadPolicyFile((directory / "policy.yaml").string());
    if (!loaded) {
        for (const auto& error : loaded.errors) std::cerr << "self-test: " << error.toString() << "\n";
        return 1;
    }
    policy::Policy policy = *loaded.policy;
    hv::ManualClock clock;
    hv::sim::SimulatedHypervisor hypervisor(clock);
    if (auto built = scenario::buildCluster((directory / "cluster.yaml").string(), policy, hypervisor); !built) {
        std::cerr << "self-test: " << built.error().message << "\n";
        return 1;
    }
    const SeatRecord a1{"lic-a", "fax-a", "", "h1", {}, true}, b2{"lic-a", "fax-b", "", "h2", {}, true};
    const SeatRecord a2{"lic-a", "fax-a", "", "h2", {}, true}, c2{"lic-a", "fax-c", "fax-a", "h2", {}, true};
    const std::vector<Case> cases{
        {"ledger equal to reality", {a1, b2}, true, false, ""},
        {"more running than seats", {a1}, false, true, "2 running copies use lic-a (1 seats)"},
        {"more holders than seats", {a1, b2, c2}, false, false, "the ledger lists 3 holders of lic-a"},
        {"a stopped standby's seat is not in use", {a1, c2}, false, false, ""},
        {"running without a seat", {a1}, true, false, "fax-b runs on h2 without a seat of lic-a"},
        {"holder elsewhere", {a2, b2}, true, false, "the ledger has fax-a holding lic-a on h2 but it runs on h1"},
        {"unsettled ledger not compared", {}, false, false, ""},
        {"a running standby seat-less", {a1, b2}, true, false, "", true},
        {"a running standby's seat is in use", {a1, b2, c2}, false, false, "3 running copies use lic-a", true},
    };
    int failed = 0;
    for (const auto& test : cases) {
        if (test.standbyRuns && hypervisor.hostsRunningForTest("fax-c").empty()) {
            if (auto started = hypervisor.startDomain("h2", "fax-c"); !started) {
                std::cerr << "self-test: " << started.error().message << "\n";
                return 1;
            }
        }
        policy.licences.front().seats = test.fewerSeats ? 1 : 2;
        const auto check = scenario::checkLicenceInvariants(hypervisor, policy, test.ledger, test.settled, {});
        bool ok = test.expected.empty() ? check.violations.empty() : false;
        for (const auto& violation : check.violations)
            ok = ok || (!test.expected.empty() && violation.find(test.expected) != std::string::npos);
        if (!ok) {
            ++failed;
            std::cerr << "self-test FAILED: " << test.name << ": expected " << (test.expected.empty() ? "no violation" : test.expected)
                      << "; got " << check.violations.size() << " violations\n";
            for (const auto& violation : check.violations) std::cerr << "  " << violation << "\n";
        }
    }
    std::size_t boardCases = 0, isolationCases = 0;
    failed += boardSelfTest(workspace, boardCases);
    failed += isolationSelfTest(hypervisor, policy, isolationCases);
    const std::size_t total = cases.size() + boardCases + isolationCases;
    std::cout << "fault_fuzzer: self-test: " << total - static_cast<std::size_t>(failed) << " of " << total
              << " checker cases behave\n";
    return failed == 0 ? 0 : 1;
}

}  // namespace faxover::fuzz
