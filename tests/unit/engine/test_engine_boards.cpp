// Fax boards in the engine (docs/boards.md, invariant 4): telephony detection, the policy's board
// mapping against what hosts report, and decide() reserving, moving and releasing boards. The
// board-* scenarios cover the same end to end.
#include "engine_test_support.h"
#include "faxover/orchestrator/engine/Engine.h"

#include <catch2/catch.hpp>

#include <algorithm>

namespace {

namespace engine = faxover::orchestrator::engine;
namespace policy = faxover::policy;
namespace hv = faxover::hv;
using engine::ActionKind;
using engine::test::healthy;
using Condition = engine::HostBoardStatus::Condition;
using namespace std::chrono_literals;

constexpr std::uint16_t kBrooktrout = 0x12e4;
constexpr std::uint16_t kDialogic = 0x12c7;

// h1 and h2 have a TR1034 each on trunk group pri-a; h3 has a Dialogic board of another model.
policy::Policy boardCluster(policy::TelephonyMode telephony = policy::TelephonyMode::Board) {
    policy::Policy result;
    result.boardModels = {{"tr1034", kBrooktrout, 0x4d01}, {"dialogic-4000", kDialogic, 0x5001}};
    for (const auto& [name, address, model] :
         {std::tuple{"h1", "0000:03:00.0", "tr1034"}, std::tuple{"h2", "0000:04:00.0", "tr1034"},
          std::tuple{"h3", "0000:05:00.0", "dialogic-4000"}}) {
        policy::HostPolicy host;
        host.name = name;
        host.fence = {policy::FenceLevel{policy::FenceMethod::Agent, "fence_test"}};
        host.boards = {{address, model, "pri-a"}};
        result.hosts.push_back(host);
    }
    for (const auto& [name, priority] : {std::pair{"fax-a", 90}, std::pair{"fax-b", 50}}) {
        policy::ServicePolicy service;
        service.name = name;
        service.domain = {policy::DomainRef::Kind::Name, name};
        service.telephony = telephony;
        service.priority = priority;
        service.trunkGroup = "pri-a";
        service.telcoHook = policy::CommandStep{"/usr/local/sbin/reroute-t1"};
        result.services.push_back(service);
    }
    return result;
}

engine::ObservedBoard device(const std::string& address, std::uint16_t vendor, std::uint16_t product,
                             const std::string& driver = "brooktrout") {
    return {address, vendor, product, driver};
}

engine::EngineInput inputFor(const policy::Policy& policy) {
    engine::EngineInput input;
    input.policy = &policy;
    input.now = engine::WallTime{} + 1000h;
    for (const auto& host : policy.hosts) input.hosts[host.name] = healthy(host.name);
    input.hosts["h1"].boards = std::vector{device("0000:03:00.0", kBrooktrout, 0x4d01)};
    input.hosts["h2"].boards = std::vector{device("0000:04:00.0", kBrooktrout, 0x4d01)};
    input.hosts["h3"].boards = std::vector{device("0000:05:00.0", kDialogic, 0x5001, "dlgc")};
    for (const auto& service : policy.services) {
        input.services[service.name].memoryMiB = 1024;
        input.services[service.name].vcpus = 1;
    }
    return input;
}

void runsOn(engine::EngineInput& input, const std::string& service, const std::string& host,
            const std::string& board) {
    input.services[service].copies = {{host, hv::DomainState::Running}};
    input.services[service].pciHostdevs = {board};
    input.memory[service].state = engine::ServiceState::Ok;
    input.memory[service].host = host;
    input.boards.push_back({host, board, service, input.now - 1h});
}

// The host is powered off and its fence confirmed: what runs there is down for sure.
void fencedOff(engine::EngineInput& input, const std::string& host) {
    input.hosts[host].health = engine::HostHealthState::Failed;
    input.hosts[host].missedRounds = 7;
    input.hosts[host].libvirt = hv::Reachability::Unreachable;
    input.hosts[host].fence = engine::FenceStatus::Confirmed;
    for (auto& [name, seen] : input.services)
        std::erase_if(seen.copies, [&](const engine::DomainCopy& copy) { return copy.host == host; });
}

const engine::Action* actionOf(const engine::Decision& decision, ActionKind kind, const std::string& service = "") {
    auto found = std::find_if(decision.actions.begin(), decision.actions.end(), [&](const engine::Action& action) {
        return action.kind == kind && (service.empty() || action.service == service);
    });
    return found == decision.actions.end() ? nullptr : &*found;
}

const engine::BoardReservation* reservationOf(const engine::BoardLedger& boards, const std::string& host,
                                              const std::string& address) {
    auto found = std::find_if(boards.begin(), boards.end(), [&](const engine::BoardReservation& held) {
        return held.host == host && held.pciAddress == address;
    });
    return found == boards.end() ? nullptr : &*found;
}

bool logged(const engine::Decision& decision, const std::string& text, bool alert) {
    return std::any_of(decision.log.begin(), decision.log.end(), [&](const engine::Event& line) {
        return line.text().find(text) != std::string::npos && line.isAlert() == alert;
    });
}

}  // namespace

TEST_CASE("boards: the policy's mapping is matched against the host's PCI devices", "[engine][boards]") {
    policy::Policy cluster = boardCluster();
    cluster.hosts[0].boards.push_back({"0000:06:00.0", "tr1034", "pri-b"});
    cluster.hosts[0].boards.push_back({"0000:07:00.0", "tr1034", "pri-b"});
    const std::vector<engine::ObservedBoard> seen{device("0000:03:00.0", kBrooktrout, 0x4d01),
                                                  device("0000:07:00.0", 0x8086, 0x1533, "igb"),
                                                  device("0000:09:00.0", kDialogic, 0x5001, "dlgc")};

    const auto boards = engine::matchBoards(cluster, cluster.hosts[0], seen);
    REQUIRE(boards.size() == 4);
    CHECK(boards[0].condition == Condition::Usable);
    CHECK(boards[0].explain().empty());
    CHECK(boards[1].condition == Condition::Missing);
    CHECK(boards[1].explain() == "missing from its host's PCI devices");
    CHECK(boards[2].condition == Condition::WrongDevice);
    CHECK(boards[2].explain() == "the device there is 8086:1533, not tr1034 (12e4:4d01)");
    CHECK(boards[3].condition == Condition::Unmapped);
    CHECK(boards[3].pciAddress == "0000:09:00.0");
    CHECK(boards[3].model->name == "dialogic-4000");

    const auto unread = engine::matchBoards(cluster, cluster.hosts[0], std::nullopt);
    REQUIRE(unread.size() == 3);
    CHECK(std::all_of(unread.begin(), unread.end(), [](const auto& board) { return board.condition == Condition::NotInventoried; }));
}

TEST_CASE("boards: auto telephony is board exactly when the definition passes a fax board through", "[engine][boards]") {
    const policy::Policy cluster = boardCluster(policy::TelephonyMode::Auto);
    const policy::ServicePolicy& service = cluster.services[0];
    const std::optional<std::vector<engine::ObservedBoard>> h1Devices =
        std::vector{device("0000:03:00.0", kBrooktrout, 0x4d01), device("0000:0a:00.0", kDialogic, 0x5001)};

    SECTION("a mapped board") {
        const auto telephony = engine::detectTelephony(cluster, service, cluster.findHost("h1"), {"0000:81:00.0", "0000:03:00.0"}, h1Devices, "");
        CHECK(telephony.board);
        CHECK(telephony.boardAddress == "0000:03:00.0");
        CHECK(telephony.model->name == "tr1034");
        CHECK(telephony.disagreement.empty());
    }
    SECTION("an unmapped device of a configured model counts too") {
        const auto telephony = engine::detectTelephony(cluster, service, cluster.findHost("h1"), {"0000:0a:00.0"}, h1Devices, "");
        CHECK(telephony.board);
        CHECK(telephony.model->name == "dialogic-4000");
    }
    SECTION("another PCI hostdev (a NIC) is not a fax board") {
        const auto telephony = engine::detectTelephony(cluster, service, cluster.findHost("h1"), {"0000:81:00.0"}, h1Devices, "");
        CHECK_FALSE(telephony.board);
        CHECK(telephony.boardAddress.empty());
    }
    SECTION("the guest agent contradicting the definition is a disagreement, and the definition decides") {
        const auto telephony = engine::detectTelephony(cluster, service, cluster.findHost("h1"), {"0000:03:00.0"}, h1Devices, "sr140");
        CHECK(telephony.board);
        CHECK(telephony.disagreement ==
              "the guest agent reports telephony sr140 but its definition passes fax board 0000:03:00.0 (tr1034) through");
        CHECK(engine::detectTelephony(cluster, service, cluster.findHost("h1"), {}, h1Devices, "board").disagreement ==
              "the guest agent reports telephony board but its definition passes no fax board through");
        CHECK(engine::detectTelephony(cluster, service, cluster.findHost("h1"), {"0000:03:00.0"}, h1Devices, "board").disagreement.empty());
    }
    SECTION("a policy saying sr140 over a definition with a board is a disagreement") {
        policy::ServicePolicy sr140 = service;
        sr140.telephony = policy::TelephonyMode::Sr140;
        const auto telephony = engine::detectTelephony(cluster, sr140, cluster.findHost("h1"), {"0000:03:00.0"}, h1Devices, "");
        CHECK_FALSE(telephony.board);
        CHECK(telephony.disagreement.starts_with("the policy says telephony sr140 but"));
    }
}

TEST_CASE("boards: a board service on a fenced host starts elsewhere on a free board of its trunk", "[engine][boards]") {
    const policy::Policy cluster = boardCluster();
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    fencedOff(input, "h1");

    const engine::Decision decision = engine::decide(input);
    const engine::Action* start = actionOf(decision, ActionKind::Start, "fax-a");
    REQUIRE(start != nullptr);
    CHECK(start->host == "h2");  // h3's board is of another model
    CHECK(start->board == "0000:04:00.0");
    CHECK(start->fromBoard == "0000:03:00.0");
    const auto* taken = reservationOf(decision.boards, "h2", "0000:04:00.0");
    REQUIRE(taken != nullptr);
    CHECK(taken->service == "fax-a");
    CHECK_FALSE(taken->releasing);
    const auto* left = reservationOf(decision.boards, "h1", "0000:03:00.0");
    REQUIRE(left != nullptr);
    CHECK(left->releasing);
    // h1 is off: nothing can be given back there yet.
    CHECK(actionOf(decision, ActionKind::ReleaseBoard) == nullptr);
}

TEST_CASE("boards: the start that moved a board is followed by the telco hook", "[engine][boards]") {
    const policy::Policy cluster = boardCluster();
    engine::EngineInput input = inputFor(cluster);
    fencedOff(input, "h1");
    input.memory["fax-a"] = {engine::ServiceState::Recovering, "h1", "h2"};
    input.boards = {{"h1", "0000:03:00.0", "fax-a", input.now, true}, {"h2", "0000:04:00.0", "fax-a", input.now}};
    engine::Action start{ActionKind::Start, "fax-a", "h2", "", "host h1 fenced"};
    start.board = "0000:04:00.0";
    start.fromBoard = "0000:03:00.0";
    input.finished = {{start, true, "started"}};
    input.services["fax-a"].copies = {{"h2", hv::DomainState::Running}};
    input.services["fax-a"].pciHostdevs = {"0000:04:00.0"};

    const engine::Decision decision = engine::decide(input);
    const engine::Action* hook = actionOf(decision, ActionKind::RerouteTelco, "fax-a");
    REQUIRE(hook != nullptr);
    CHECK(hook->source == "h1");
    CHECK(hook->host == "h2");
    CHECK(hook->fromBoard == "0000:03:00.0");
    CHECK(hook->board == "0000:04:00.0");

    SECTION("a failed hook is an alert and the service stays up") {
        engine::EngineInput next = inputFor(cluster);
        next.memory["fax-a"] = {engine::ServiceState::Ok, "h2"};
        next.services["fax-a"].copies = {{"h2", hv::DomainState::Running}};
        next.services["fax-a"].pciHostdevs = {"0000:04:00.0"};
        next.boards = decision.boards;
        next.finished = {{*hook, false, "exit 2: carrier portal refused"}};
        const engine::Decision after = engine::decide(next);
        CHECK(logged(after, "telco hook after the move to h2 failed: exit 2: carrier portal refused", true));
        CHECK(after.memory.count("fax-a") == 0);  // nothing changes for the service itself
    }
}

TEST_CASE("boards: no fitting board anywhere keeps the service down and says why per board", "[engine][boards]") {
    policy::Policy cluster = boardCluster();
    cluster.services[0].boardModels = {"tr1034"};
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    runsOn(input, "fax-b", "h2", "0000:04:00.0");
    fencedOff(input, "h1");

    const engine::Decision decision = engine::decide(input);
    CHECK(actionOf(decision, ActionKind::Start, "fax-a") == nullptr);
    const auto& memory = decision.memory.at("fax-a");
    CHECK(memory.reason.find("h2: no fax board fits: 0000:04:00.0 reserved for fax-b") != std::string::npos);
    CHECK(memory.reason.find("h3: no fax board fits: 0000:05:00.0 is dialogic-4000, needs tr1034") != std::string::npos);
    CHECK(logged(decision, "stays down", true));
    // Its own board stays reserved: it restarts there when h1 comes back.
    CHECK_FALSE(reservationOf(decision.boards, "h1", "0000:03:00.0")->releasing);
}

TEST_CASE("boards: a board another VM passes through is not free and a restart in place does not take it", "[engine][boards]") {
    const policy::Policy cluster = boardCluster();
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    input.hosts["h2"].boards->front().otherVm = "bench-vm";
    fencedOff(input, "h1");

    const engine::Decision decision = engine::decide(input);
    CHECK(actionOf(decision, ActionKind::ColdMove, "fax-a") == nullptr);
    CHECK(actionOf(decision, ActionKind::Start, "fax-a") == nullptr);
    CHECK_THAT(decision.memory.at("fax-a").reason,
               Catch::Contains("h2: no fax board fits: 0000:04:00.0 passed through to bench-vm, a VM no service protects"));

    // Its own host back, with its board now in another VM's hands: no restart in place there.
    engine::EngineInput back = inputFor(cluster);
    back.services["fax-a"].pciHostdevs = {"0000:03:00.0"};
    back.memory["fax-a"].state = engine::ServiceState::Failure;
    back.memory["fax-a"].host = "h1";
    back.services["fax-a"].copies = {{"h1", hv::DomainState::Shutoff}};
    back.hosts["h1"].boards->front().otherVm = "bench-vm";
    const engine::Decision elsewhere = engine::decide(back);
    const auto starts = std::count_if(elsewhere.actions.begin(), elsewhere.actions.end(), [](const engine::Action& action) {
        return action.service == "fax-a" && action.host == "h1" && engine::movesVm(action.kind);
    });
    CHECK(starts == 0);
}

TEST_CASE("boards: a board on another trunk group does not fit", "[engine][boards]") {
    policy::Policy cluster = boardCluster();
    cluster.hosts[1].boards[0].trunkGroup = "pri-b";
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    fencedOff(input, "h1");

    const engine::Decision decision = engine::decide(input);
    CHECK(actionOf(decision, ActionKind::Start, "fax-a") == nullptr);
    CHECK(decision.memory.at("fax-a").reason.find("0000:04:00.0 on trunk group pri-b, needs pri-a") != std::string::npos);
}

TEST_CASE("boards: two services competing for one free board: priority wins", "[engine][boards]") {
    policy::Policy cluster = boardCluster();
    cluster.hosts[2].boards.clear();  // h3: no board at all
    engine::EngineInput input = inputFor(cluster);
    input.hosts["h3"].boards = std::vector<engine::ObservedBoard>{};
    // Both ran on h1 (two boards there), which is fenced; h2's one board is free.
    cluster.hosts[0].boards.push_back({"0000:03:00.1", "tr1034", "pri-a"});
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    runsOn(input, "fax-b", "h1", "0000:03:00.1");
    fencedOff(input, "h1");

    const engine::Decision decision = engine::decide(input);
    const engine::Action* start = actionOf(decision, ActionKind::Start);
    REQUIRE(start != nullptr);
    CHECK(start->service == "fax-a");  // priority 90 over 50
    CHECK(actionOf(decision, ActionKind::Start, "fax-b") == nullptr);
    CHECK(decision.memory.at("fax-b").reason.find("h2: no fax board fits: 0000:04:00.0 reserved for fax-a") !=
          std::string::npos);
}

TEST_CASE("boards: a released board goes back to its host driver once its host answers, then is free", "[engine][boards]") {
    const policy::Policy cluster = boardCluster();
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h2", "0000:04:00.0");
    runsOn(input, "fax-b", "h3", "0000:05:00.0");
    input.boards.push_back({"h1", "0000:03:00.0", "fax-a", input.now - 1min, true});

    SECTION("the host answers: the board is reattached") {
        const engine::Decision decision = engine::decide(input);
        const engine::Action* release = actionOf(decision, ActionKind::ReleaseBoard);
        REQUIRE(release != nullptr);
        CHECK(release->host == "h1");
        CHECK(release->board == "0000:03:00.0");

        engine::EngineInput next = input;
        next.boards = decision.boards;
        next.finished = {{*release, true, "reattached to brooktrout"}};
        const engine::Decision freed = engine::decide(next);
        CHECK(reservationOf(freed.boards, "h1", "0000:03:00.0") == nullptr);
        CHECK(logged(freed, "board h1 0000:03:00.0: back with its host driver (reattached to brooktrout): free", false));
    }
    SECTION("the host is still off: it waits") {
        fencedOff(input, "h1");
        CHECK(actionOf(engine::decide(input), ActionKind::ReleaseBoard) == nullptr);
    }
    SECTION("a failed release is one alert and is retried every 30 s, not every round") {
        engine::Action release{ActionKind::ReleaseBoard, "fax-a", "h1", "", "released by fax-a"};
        release.board = "0000:03:00.0";
        input.finished = {{release, false, "device busy"}};
        const engine::Decision failed = engine::decide(input);
        CHECK(logged(failed, "could not go back to its host driver: device busy; retried every 30 s", true));
        CHECK(actionOf(failed, ActionKind::ReleaseBoard) == nullptr);

        engine::EngineInput later = input;
        later.finished.clear();
        later.boards = failed.boards;
        later.now = input.now + 10s;
        CHECK(actionOf(engine::decide(later), ActionKind::ReleaseBoard) == nullptr);
        later.now = input.now + 31s;
        CHECK(actionOf(engine::decide(later), ActionKind::ReleaseBoard) != nullptr);

        // Failing again is logged, not alerted again.
        later.finished = {{release, false, "device busy"}};
        const engine::Decision again = engine::decide(later);
        CHECK(logged(again, "device busy; retried every 30 s (failed again)", false));
        CHECK_FALSE(logged(again, "device busy", true));
    }
}

TEST_CASE("boards: a released board goes back even while its service runs on that host with another one", "[engine][boards]") {
    // fax-a came back to h1 on h1's second board (found by the board fuzzer: the release waited
    // for fax-a to leave h1, which it never did).
    policy::Policy cluster = boardCluster();
    cluster.hosts[0].boards.push_back({"0000:06:00.0", "tr1034", "pri-a"});
    engine::EngineInput input = inputFor(cluster);
    input.hosts["h1"].boards->push_back(device("0000:06:00.0", kBrooktrout, 0x4d01));
    runsOn(input, "fax-a", "h1", "0000:06:00.0");
    input.boards.push_back({"h1", "0000:03:00.0", "fax-a", input.now - 1min, true});

    const engine::Decision decision = engine::decide(input);
    const engine::Action* release = actionOf(decision, ActionKind::ReleaseBoard);
    REQUIRE(release != nullptr);
    CHECK(release->board == "0000:03:00.0");

    // Running with the released board itself: it holds it again, and the other one goes back.
    input.services["fax-a"].pciHostdevs = {"0000:03:00.0"};
    const engine::Decision adopted = engine::decide(input);
    release = actionOf(adopted, ActionKind::ReleaseBoard);
    REQUIRE(release != nullptr);
    CHECK(release->board == "0000:06:00.0");
    CHECK_FALSE(reservationOf(adopted.boards, "h1", "0000:03:00.0")->releasing);
    // Running with a board Faxover has not read yet: it may be this one, so nothing goes back.
    input.services["fax-a"].pciHostdevs.clear();
    CHECK(actionOf(engine::decide(input), ActionKind::ReleaseBoard) == nullptr);
}

TEST_CASE("boards: maintenance moves a board service cold onto the target's free board", "[engine][boards]") {
    const policy::Policy cluster = boardCluster(policy::TelephonyMode::Auto);
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    input.hosts["h1"].maintenance = true;

    const engine::Decision decision = engine::decide(input);
    const engine::Action* move = actionOf(decision, ActionKind::ColdMove, "fax-a");
    REQUIRE(move != nullptr);
    CHECK(move->source == "h1");
    CHECK(move->host == "h2");
    CHECK(move->board == "0000:04:00.0");
    CHECK(move->fromBoard == "0000:03:00.0");
    CHECK(actionOf(decision, ActionKind::LiveMigrate) == nullptr);
    CHECK(decision.memory.at("fax-a").reason ==
          "maintenance of h1: cold move (telephony auto: fax board 0000:03:00.0 (tr1034) is passed through and cannot "
          "live-migrate) h1 -> h2, board 0000:03:00.0 -> 0000:04:00.0");
    // Its old board is released at once, but not reattached while the move runs.
    CHECK(reservationOf(decision.boards, "h1", "0000:03:00.0")->releasing);
    CHECK(actionOf(decision, ActionKind::ReleaseBoard) == nullptr);
}

TEST_CASE("boards: a service found running with a board holds it" , "[engine][boards]") {
    const policy::Policy cluster = boardCluster();
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    runsOn(input, "fax-b", "h2", "0000:04:00.0");
    input.boards.clear();  // e.g. a store that missed a change
    input.boards.push_back({"h1", "0000:03:00.0", "fax-b", input.now - 1h});

    const engine::Decision decision = engine::decide(input);
    const auto* held = reservationOf(decision.boards, "h1", "0000:03:00.0");
    REQUIRE(held != nullptr);
    CHECK(held->service == "fax-a");
    CHECK(logged(decision, "board h1 0000:03:00.0: was reserved for fax-b but fax-a runs with it", true));
}

TEST_CASE("boards: decisions with boards are deterministic", "[engine][boards]") {
    const policy::Policy cluster = boardCluster();
    engine::EngineInput input = inputFor(cluster);
    runsOn(input, "fax-a", "h1", "0000:03:00.0");
    runsOn(input, "fax-b", "h2", "0000:04:00.0");
    fencedOff(input, "h1");
    input.hosts["h2"].maintenance = true;
    const engine::Decision first = engine::decide(input);
    const engine::Decision second = engine::decide(input);
    CHECK(first.actions == second.actions);
    CHECK(first.boards == second.boards);
    CHECK(first.log == second.log);
}

TEST_CASE("boards: a free board is held for a higher-priority service while its host is being fenced", "[engine][boards]") {
    policy::Policy cluster = boardCluster();
    cluster.hosts[2].boards[0].model = "tr1034";  // h3: the one free board both could use
    cluster.fencing.witness = policy::Witness{"10.0.9.1", 22};
    engine::EngineInput input = inputFor(cluster);
    input.witnessAnswered = true;  // h3 alone answers of the two voting hosts: the witness confirms
    input.hosts["h3"].boards = std::vector{device("0000:05:00.0", kBrooktrout, 0x4d01)};
    runsOn(input, "fax-a", "h2", "0000:04:00.0");  // priority 90: its host is failing
    runsOn(input, "fax-b", "h1", "0000:03:00.0");  // priority 50: its host is confirmed off
    fencedOff(input, "h1");
    input.hosts["h2"].health = engine::HostHealthState::Failed;
    input.hosts["h2"].missedRounds = 7;
    input.hosts["h2"].libvirt = hv::Reachability::Unreachable;
    input.hosts["h2"].fence = engine::FenceStatus::InProgress;
    input.services["fax-a"].copies.clear();

    const engine::Decision held = engine::decide(input);
    CHECK(actionOf(held, ActionKind::Start) == nullptr);
    CHECK(held.memory.at("fax-b").reason.find("h3: no fax board fits: 0000:05:00.0 reserved for fax-a") != std::string::npos);

    // Once fax-a's fence needs an admin, nothing is held for it.
    input.hosts["h2"].fence = engine::FenceStatus::AwaitingAdmin;
    const engine::Decision released = engine::decide(input);
    const engine::Action* start = actionOf(released, ActionKind::Start, "fax-b");
    REQUIRE(start != nullptr);
    CHECK(start->host == "h3");
    CHECK(start->board == "0000:05:00.0");
}
