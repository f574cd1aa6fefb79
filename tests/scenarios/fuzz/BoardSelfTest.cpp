// fault_fuzzer --self-test, invariant 4: the board checks fail when they should. Two board-mode
// VMs run on a simulated cluster built by the runner's own code (fax-d by name on h1's Brooktrout,
// fax-e by UUID on h2's Dialogic board); each case hands the checker a set of reservations.
#include "SelfTest.h"

#include "Cluster.h"
#include "Invariants.h"

#include "faxover/policies/PolicyLoader.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace faxover::fuzz {

namespace {

using orchestrator::store::BoardReservationRecord;

constexpr const char* kPolicy = R"(version: 1
board_models:
  - { name: tr1034, vendor_id: 0x12e4, device_id: 0x4d01 }
  - { name: dlgc-5001, vendor_id: 0x12c7, device_id: 0x5001 }
hosts:
  - name: h1
    uri: "qemu+tcp://10.0.0.1/system"
    migration_address: 10.0.0.1
    fence: { method: agent, command: fence_sim }
    boards: [{ pci_address: "0000:03:00.0", model: tr1034, trunk_group: pri-a }]
  - name: h2
    uri: "qemu+tcp://10.0.0.2/system"
    migration_address: 10.0.0.2
    fence: { method: agent, command: fence_sim }
    boards: [{ pci_address: "0000:04:00.0", model: dlgc-5001, trunk_group: pri-a }]
services:
  - { name: fax-d, domain: fax-d, telephony: board, trunk_group: pri-a }
  - { name: fax-e, domain: fa000000-0000-4000-8000-000000000002, telephony: board, trunk_group: pri-a }
)";

constexpr const char* kCluster = R"(hosts:
  - { name: h1, boards: [0000:03:00.0] }
  - { name: h2, boards: [{ address: 0000:04:00.0, vendor: 0x12c7, device: 0x5001, driver: dlgc }] }
domains:
  - { name: fax-d, template: fax-board, host: h1, running: true }
  - { name: fax-e-vm, template: fax-board, host: h2, board: 0000:04:00.0, running: true }
)";

struct BoardCase {
    std::string name;
    std::vector<BoardReservationRecord> reservations;
    std::string expected;  // a violation containing this; "" for none
    bool daemonSawThem = true;  // the daemon has had a round to see both running boards
    bool settled = false;       // checked as after the `settled` command
};

}  // namespace

int boardSelfTest(const Workspace& workspace, std::size_t& cases) {
    // A sibling of the sequence directory: Cluster.cpp finds the templates in the parent's `domains`.
    const auto directory = workspace.root() / "board-self-test";
    std::filesystem::create_directories(directory);
    std::ofstream(directory / "policy.yaml") << kPolicy;
    std::ofstream(directory / "cluster.yaml") << kCluster;
    auto loaded = policy::loadPolicyFile((directory / "policy.yaml").string());
    if (!loaded) {
        for (const auto& error : loaded.errors) std::cerr << "board self-test: " << error.toString() << "\n";
        return 1;
    }
    const policy::Policy policy = *loaded.policy;
    hv::ManualClock clock;
    hv::sim::SimulatedHypervisor hypervisor(clock);
    if (auto built = scenario::buildCluster((directory / "cluster.yaml").string(), policy, hypervisor); !built) {
        std::cerr << "board self-test: " << built.error().message << "\n";
        return 1;
    }
    const BoardReservationRecord d1{"h1", "0000:03:00.0", "fax-d", {}, false};
    const BoardReservationRecord e2{"h2", "0000:04:00.0", "fax-e", {}, false};
    BoardReservationRecord d1Releasing = d1, e2ForD = e2, d2 = e2, d2Releasing = e2;
    d1Releasing.releasing = true;
    e2ForD.service = "fax-d";
    d2.service = "fax-d";
    d2.pciAddress = "0000:05:00.0";
    d2Releasing = d2;
    d2Releasing.releasing = true;
    const std::vector<BoardCase> tests{
        {"every running board reserved by its service", {d1, e2}, ""},
        {"a running board not reserved", {d1}, "board 0000:04:00.0 on h2 is used by fax-e (domain fax-e-vm) but not reserved"},
        {"a running board reserved for another service", {d1, e2ForD},
         "board 0000:04:00.0 on h2 is used by fax-e (domain fax-e-vm) but reserved for fax-d"},
        {"a releasing reservation still covers its running VM", {d1Releasing, e2}, ""},
        {"two boards held at once", {d1, e2, d2}, "fax-d holds 2 board reservations that are not releasing: h1 0000:03:00.0, h2 0000:05:00.0"},
        {"one board held and one releasing", {d1, e2, d2Releasing}, ""},
        {"a board the daemon never saw need not be reserved", {}, "", false},
        {"unseen boards aside, two held boards still count", {d1, d2}, "fax-d holds 2 board reservations", false},
        {"settled, every reservation matches what runs", {d1, e2}, "", true, true},
        {"settled, a board still releasing on a host that answers", {d1Releasing, e2},
         "settled, board 0000:03:00.0 on h1 is still releasing from fax-d though its host answers", true, true},
        {"settled, a reservation on a board its service does not run with", {d2, e2},
         "settled, board 0000:05:00.0 on h2 is reserved for fax-d but it runs with board 0000:03:00.0 on h1", true,
         true},
        {"unsettled, the same reservations pass", {d1Releasing, e2}, "", true, false},
    };
    scenario::BoardSightings none, all;
    all.markAllSeen(hypervisor);
    int failed = 0;
    for (const auto& test : tests) {
        const auto check =
            scenario::checkBoardInvariants(hypervisor, policy, test.reservations, test.daemonSawThem ? all : none,
                                           test.settled);
        bool ok = test.expected.empty() ? check.violations.empty() : false;
        for (const auto& violation : check.violations)
            ok = ok || (!test.expected.empty() && violation.find(test.expected) != std::string::npos);
        if (!ok) {
            ++failed;
            std::cerr << "self-test FAILED: " << test.name << ": expected "
                      << (test.expected.empty() ? "no violation" : test.expected) << "; got " << check.violations.size()
                      << " violations\n";
            for (const auto& violation : check.violations) std::cerr << "  " << violation << "\n";
        }
    }
    cases = tests.size();
    return failed;
}

}  // namespace faxover::fuzz
