// `faxover boards` and the outage notice before migrate and maintenance enable (issue #5), run
// against a scripted AdminApi with captured streams, and once against a real server.
#include "cli_test_support.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

#include <catch2/catch.hpp>

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

namespace {

const std::string kColdMoveOfFaxB =
    "fax-b: cold move lab1 -> lab2, board 0000:03:00.0 -> 0000:04:00.0: the fax service will be down for about "
    "38 s (last cold move took 38 s)\n";
const std::string kColdMoveOfFaxC =
    "fax-c: cold move lab1 -> lab3, board 0000:07:00.0 -> 0000:06:00.0: the fax service will be down for an "
    "unknown time (no cold move measured yet; shutdown waits up to 2 min)\n";

std::vector<PlannedMove> liveMigrationsOnly() {
    return {{"fax-a", "live-migrate", "lab1", "lab2", "", "", "maintenance on lab1", std::nullopt, ""},
            {"fax-d", "stays", "lab1", "", "", "", "suspended", std::nullopt, ""}};
}

}  // namespace

TEST_CASE("boards prints the table and why the unusable boards cannot be used", "[api][cli][boards]") {
    FakeAdminApi fake;
    const auto run = runCli({"boards"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.err.empty());
    CHECK(run.out ==
          "HOST  ADDRESS       MODEL      TRUNK   DRIVER    HOLDER  STATE\n"
          "lab1  0000:03:00.0  TR1034     pstn-a  vfio-pci  fax-b   in-use\n"
          "lab2  0000:04:00.0  TR1034     pstn-a  vfio-pci  -       free\n"
          "lab2  0000:05:00.0  TR1034     pstn-a  -         -       missing\n"
          "lab3  0000:06:00.0  8086:1533  -       igb       -       unmapped\n"
          "\n"
          "not usable:\n"
          "  lab2 0000:05:00.0: missing: the policy maps it but lab2's PCI inventory has no device at 0000:05:00.0\n"
          "  lab3 0000:06:00.0: unmapped: no boards entry of the policy names it\n");
}

TEST_CASE("boards explains a board another VM passes through", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.boardList = {{"lab2", "0000:04:00.0", "TR1034", 0x12e4, 0x4d01, "pstn-a", "vfio-pci", "bench-vm", "other-vm",
                       "passed through to bench-vm, a VM no service protects"}};
    const auto run = runCli({"boards"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, Catch::EndsWith("\nnot usable:\n"
                                        "  lab2 0000:04:00.0: other-vm: passed through to bench-vm, a VM no service "
                                        "protects\n"));
}

TEST_CASE("boards with every board usable prints no detail and json prints the wire document", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.boardList.resize(2);
    const auto run = runCli({"boards"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, !Catch::Contains("not usable"));
    CHECK_THAT(run.out, Catch::EndsWith("free\n"));

    const auto json = runCli({"boards", "--json"}, fake);
    CHECK(json.status == kAdminOk);
    CHECK(boardsFromJson(json.out).value() == fake.boardList);

    fake.boardList.clear();
    CHECK(runCli({"boards"}, fake).out == "no fax boards: none in the policy and none inventoried on its hosts\n");
    CHECK(runCli({"boards", "--json"}, fake).out == "[]\n");
}

TEST_CASE("boards reports a daemon without boards or an unreachable one with the usual exit codes", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.boardsError = faxover::orchestrator::Error{ErrorKind::NotSupported, "this daemon does not list fax boards"};
    auto run = runCli({"boards"}, fake);
    CHECK(run.status == kAdminRefused);
    CHECK(run.err == "faxover: this daemon does not list fax boards\n");
    fake.boardsError = faxover::orchestrator::Error{ErrorKind::DaemonUnreachable, "cannot connect to unix:/x"};
    CHECK(runCli({"boards"}, fake).status == kAdminUnreachable);
    CHECK(usageError({"boards", "lab1"}) == "usage: faxover boards");
    CHECK(usageError({"boards", "--yes"}) == "--yes goes with failover, failback, fence confirm, demote, migrate and maintenance enable");
    CHECK(parsed({"boards", "--json"}).query == AdminQuery::Boards);
}

TEST_CASE("migrate and maintenance enable take --yes", "[api][cli][boards]") {
    CHECK(parsed({"migrate", "fax-b", "--yes"}).yes);
    CHECK(parsed({"migrate", "fax-b", "lab2", "-y"}).command == AdminCommand{Verb::Migrate, "fax-b", "lab2", ""});
    CHECK(parsed({"maintenance", "enable", "lab1", "--yes", "--no-wait"}).yes);
    CHECK(usageError({"maintenance", "disable", "lab1", "--yes"}) ==
          "--yes goes with failover, failback, fence confirm, demote, migrate and maintenance enable");
    CHECK(usageError({"migrate"}) == "usage: faxover migrate SERVICE [HOST] [--yes]");
    CHECK(usageError({"maintenance", "enable"}) == "usage: faxover maintenance enable HOST [--no-wait] [--yes]");
}

TEST_CASE("maintenance with cold moves shows each outage and asks on a terminal", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.planMoves = samplePlan();
    auto run = runCli({"maintenance", "enable", "lab1", "--no-wait"}, fake, {"y\n", true});
    CHECK(run.status == kAdminOk);
    CHECK(run.out == kColdMoveOfFaxB + kColdMoveOfFaxC + "Put lab1 in maintenance? [y/N] " + fake.reply.message + "\n");
    CHECK(fake.planned() == std::vector<AdminCommand>{{Verb::MaintenanceEnable, "", "lab1", ""}});
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::MaintenanceEnable, "", "lab1", ""}});

    for (const auto& answer : {"\n", "n\n", ""}) {
        INFO(answer);
        run = runCli({"maintenance", "enable", "lab1"}, fake, {answer, true});
        CHECK(run.status == kAdminRefused);
        CHECK(run.err == "faxover: not confirmed, nothing done\n");
    }
    CHECK(fake.received().size() == 1);
}

TEST_CASE("migrate with a cold move and no terminal refuses with exit 2 unless --yes", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.planMoves = {samplePlan()[1]};
    auto run = runCli({"migrate", "fax-b"}, fake);
    CHECK(run.status == kAdminUsage);
    CHECK(run.out.empty());
    CHECK(run.err == kColdMoveOfFaxB + "faxover: migrate fax-b needs a confirmation and there is no terminal to ask on: "
                                       "pass --yes\n");
    CHECK(fake.received().empty());

    // --yes goes ahead without asking for the plan at all.
    run = runCli({"migrate", "fax-b", "--yes"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out == fake.reply.message + "\n");
    CHECK(fake.planned().size() == 1);
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::Migrate, "fax-b", "", ""}});

    run = runCli({"migrate", "fax-b", "lab3"}, fake, {"yes\n", true});
    CHECK(run.status == kAdminOk);
    CHECK(run.out == kColdMoveOfFaxB + "Migrate fax-b? [y/N] " + fake.reply.message + "\n");
    CHECK(fake.planned().back() == AdminCommand{Verb::Migrate, "fax-b", "lab3", ""});
}

TEST_CASE("failover of a board-mode VM shows its outage before its one question", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.planMoves = {samplePlan()[1]};
    auto run = runCli({"failover", "fax-b"}, fake, {"y\n", true});
    CHECK(run.status == kAdminOk);
    CHECK(run.out == kColdMoveOfFaxB + "Fail over fax-b from lab1? [y/N] " + fake.reply.message + "\n");
    CHECK(fake.planned() == std::vector<AdminCommand>{{Verb::Failover, "fax-b", "", ""}});
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::Failover, "fax-b", "", ""}});

    // A plan the daemon refuses is reported and nothing is sent; --yes asks nothing.
    fake.planError = faxover::orchestrator::Error{ErrorKind::Refused, "cannot fail over fax-b: no fax board fits"};
    run = runCli({"failover", "fax-b"}, fake, {"y\n", true});
    CHECK(run.status == kAdminRefused);
    CHECK(run.err == "faxover: cannot fail over fax-b: no fax board fits\n");
    CHECK(fake.received().size() == 1);
    CHECK(runCli({"failover", "fax-b", "--yes"}, fake).status == kAdminOk);
    CHECK(fake.planned().size() == 2);
    CHECK(fake.received().size() == 2);
}

TEST_CASE("failback with a cold move asks like migrate", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.planMoves = {samplePlan()[1]};
    CHECK(parsed({"failback", "fax-b", "--yes"}).yes);
    auto run = runCli({"failback", "fax-b"}, fake, {"n\n", true});
    CHECK(run.status == kAdminRefused);
    CHECK(run.out == kColdMoveOfFaxB + "Fail back fax-b? [y/N] ");
    CHECK(fake.received().empty());
    run = runCli({"failback", "fax-b"}, fake);
    CHECK(run.status == kAdminUsage);
    CHECK_THAT(run.err, Catch::EndsWith("faxover: failback fax-b needs a confirmation and there is no terminal to ask "
                                        "on: pass --yes\n"));
    fake.planMoves = liveMigrationsOnly();
    CHECK(runCli({"failback", "fax-a"}, fake).status == kAdminOk);
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::Failback, "fax-a", "", ""}});
}

TEST_CASE("no question when the plan has only live migrations", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.planMoves = liveMigrationsOnly();
    // Not a terminal: with a question this would be exit 2.
    auto run = runCli({"maintenance", "enable", "lab1", "--no-wait"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out == fake.reply.message + "\n");
    CHECK(run.err.empty());
    CHECK(fake.planned().size() == 1);
    CHECK(fake.received().size() == 1);
    fake.planMoves.clear();
    CHECK(runCli({"migrate", "fax-a", "lab2"}, fake).status == kAdminOk);
    CHECK(fake.received().size() == 2);
}

TEST_CASE("an older daemon that cannot plan gets the command as before", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.plans = false;
    const auto run = runCli({"migrate", "fax-b", "lab2"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out == fake.reply.message + "\n");
    CHECK(run.err.empty());
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::Migrate, "fax-b", "lab2", ""}});
}

TEST_CASE("a refused plan is reported and nothing is sent", "[api][cli][boards]") {
    FakeAdminApi fake;
    fake.planError = faxover::orchestrator::Error{ErrorKind::BadRequest, "no service named fax-z"};
    auto run = runCli({"migrate", "fax-z"}, fake, {"y\n", true});
    CHECK(run.status == kAdminRefused);
    CHECK(run.err == "faxover: no service named fax-z\n");
    fake.planError = faxover::orchestrator::Error{ErrorKind::DaemonUnreachable, "the daemon did not answer within 10000 ms"};
    CHECK(runCli({"maintenance", "enable", "lab1"}, fake, {"y\n", true}).status == kAdminUnreachable);
    CHECK(fake.received().empty());
}

TEST_CASE("outages read in seconds or minutes", "[api][cli][boards]") {
    FakeAdminApi fake;
    PlannedMove move = samplePlan()[1];
    for (const auto& [milliseconds, words] : {std::pair{400, "under a second"}, std::pair{1'499, "about 1 s"},
                                              std::pair{119'400, "about 119 s"}, std::pair{120'000, "about 2 min"},
                                              std::pair{185'000, "about 3 min 5 s"}}) {
        INFO(milliseconds);
        move.expectedOutage = std::chrono::milliseconds(milliseconds);
        move.outageBasis.clear();
        fake.planMoves = {move};
        const auto run = runCli({"migrate", "fax-b"}, fake);
        CHECK(run.err.rfind("fax-b: cold move lab1 -> lab2, board 0000:03:00.0 -> 0000:04:00.0: the fax service will "
                            "be down for " + std::string(words) + "\n",
                            0) == 0);
    }
    // A cold move of a VM without a board to leave names no boards.
    fake.planMoves = {{"fax-e", "cold-move", "lab1", "lab2", "", "", "", std::nullopt, ""}};
    CHECK(runCli({"migrate", "fax-e"}, fake).err.rfind(
              "fax-e: cold move lab1 -> lab2: the fax service will be down for an unknown time\n", 0) == 0);
}

TEST_CASE("the outage notice against a real server over a unix socket", "[api][cli][server][boards]") {
    TempDir folder;
    FakeAdminApi fake;
    fake.planMoves = samplePlan();
    const std::string address = "unix:" + folder.file("faxover.sock");
    ApiServer server(fake, parseApiEndpoint(address).value());
    REQUIRE(server.start());
    std::istringstream in("y\n");
    std::ostringstream out;
    std::ostringstream err;
    CliConsole console{in, out, err, true};
    CHECK(runAdminCli({"maintenance", "enable", "lab1", "--no-wait"}, address, console) == kAdminOk);
    CHECK(out.str() == kColdMoveOfFaxB + kColdMoveOfFaxC + "Put lab1 in maintenance? [y/N] " + fake.reply.message + "\n");
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0].actor.rfind("admin:", 0) == 0);

    // A daemon whose AdminApi cannot plan answers 501: the command goes through as before.
    fake.plans = false;
    std::ostringstream quiet;
    CliConsole noTerminal{in, quiet, err};
    CHECK(runAdminCli({"migrate", "fax-b"}, address, noTerminal) == kAdminOk);
    CHECK(quiet.str() == fake.reply.message + "\n");
    CHECK(fake.received().size() == 2);

    CHECK(runAdminCli({"boards", "--json"}, address, noTerminal) == kAdminOk);
    CHECK_THAT(quiet.str(), Catch::Contains(R"("pciAddress": "0000:03:00.0")"));
}
