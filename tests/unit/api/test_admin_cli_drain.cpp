// `faxover maintenance enable HOST` follows the drain: scripted status sequences stand in for the
// daemon, polled every 200 ms (the sleeps are recorded, not slept).
#include "cli_test_support.h"

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

namespace {

ServiceView service(const std::string& name, const std::string& state, const std::string& host,
                    const std::string& target = "", std::optional<double> progress = std::nullopt,
                    const std::string& reason = "") {
    return ServiceView{name, state, host, "sr140", sampleNow(), reason, target, progress};
}

ClusterStatus statusOf(std::vector<ServiceView> services) {
    return ClusterStatus{std::move(services), {}, ""};
}

// fax-a and fax-b leave lab1 one after the other; fax-c runs on lab2 throughout.
std::vector<ClusterStatus> drainOfLab1() {
    const ServiceView elsewhere = service("fax-c", "ok", "lab2");
    return {
        statusOf({service("fax-a", "ok", "lab1"), service("fax-b", "ok", "lab1"), elsewhere}),
        statusOf({service("fax-a", "migrating", "lab1", "lab2", 0.25), service("fax-b", "ok", "lab1"), elsewhere}),
        statusOf({service("fax-a", "ok", "lab2"), service("fax-b", "migrating", "lab1", "lab3", 0.5), elsewhere}),
        statusOf({service("fax-a", "ok", "lab2"), service("fax-b", "ok", "lab3"), elsewhere}),
    };
}

}  // namespace

TEST_CASE("maintenance enable follows the drain with one line per service off a terminal", "[api][cli]") {
    FakeAdminApi fake;
    fake.reply.message = "lab1: maintenance on, moving fax-a, fax-b";
    fake.statuses = drainOfLab1();
    const auto run = runCli({"maintenance", "enable", "lab1"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out ==
          "lab1: maintenance on, moving fax-a, fax-b\n"
          "draining lab1 (Ctrl-C stops watching; the drain goes on)\n"
          "fax-a: moved to lab2 (ok)\n"
          "fax-b: moved to lab3 (ok)\n"
          "lab1 drained\n");
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::MaintenanceEnable, "", "lab1", ""}});
    CHECK(fake.statusCalls() == 4);
    CHECK(run.sleeps == std::vector<std::chrono::milliseconds>(3, std::chrono::milliseconds(200)));
}

TEST_CASE("maintenance enable on a terminal redraws a progress bar per service", "[api][cli]") {
    FakeAdminApi fake;
    fake.statuses = drainOfLab1();
    const auto run = runCli({"maintenance", "enable", "lab1"}, fake, {"", false, true});
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, Catch::Contains("fax-a [........................]  --% ok lab1\n"));
    CHECK_THAT(run.out, Catch::Contains("fax-a [######..................]  25% migrating lab1 -> lab2\n"));
    CHECK_THAT(run.out, Catch::Contains("fax-b [############............]  50% migrating lab1 -> lab3\n"));
    CHECK_THAT(run.out, Catch::Contains("\x1b[2A"));  // back over the two lines of the previous frame
    CHECK_THAT(run.out, Catch::EndsWith("fax-b: moved to lab3 (ok)\nlab1 drained\n"));
}

TEST_CASE("maintenance enable stops watching when a service ends in error", "[api][cli]") {
    FakeAdminApi fake;
    fake.statuses = {statusOf({service("fax-a", "migrating", "lab1", "lab2", 0.9)}),
                     statusOf({service("fax-a", "error", "lab1", "", std::nullopt, "migration aborted: lab2 ran out of memory")})};
    const auto run = runCli({"maintenance", "enable", "lab1"}, fake);
    CHECK(run.status == kAdminRefused);
    CHECK_THAT(run.err, Catch::Contains("draining lab1 stopped: fax-a: error: migration aborted: lab2 ran out of memory"));
}

TEST_CASE("maintenance enable does not wait for services that stay, or with nothing to move", "[api][cli]") {
    FakeAdminApi fake;
    fake.statuses = {statusOf({service("fax-a", "stopped", "lab1"), service("fax-b", "ok", "lab2")})};
    auto run = runCli({"maintenance", "enable", "lab1"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, Catch::EndsWith("lab1: no services to move\n"));

    fake.statuses = {statusOf({service("fax-a", "ok", "lab1"), service("fax-b", "ok", "lab1")}),
                     statusOf({service("fax-a", "suspended", "lab1"), service("fax-b", "ok", "lab2")})};
    run = runCli({"maintenance", "enable", "lab1"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, Catch::Contains("fax-a: stays on lab1 (suspended)\nfax-b: moved to lab2 (ok)\nlab1 drained\n"));
}

TEST_CASE("maintenance enable and disable with --no-wait return at once", "[api][cli]") {
    FakeAdminApi fake;
    fake.statuses = drainOfLab1();
    CHECK(runCli({"maintenance", "enable", "lab1", "--no-wait"}, fake).status == kAdminOk);
    CHECK(runCli({"maintenance", "disable", "lab1", "--no-wait"}, fake).status == kAdminOk);
    CHECK(runCli({"--json", "maintenance", "enable", "lab1"}, fake).status == kAdminOk);
    CHECK(fake.statusCalls() == 0);
    CHECK(fake.received().size() == 3);
}

TEST_CASE("maintenance disable follows the services going back to the host", "[api][cli]") {
    FakeAdminApi fake;
    fake.reply.message = "lab1: maintenance disabled";
    ServiceView waiting = service("fax-b", "ok", "lab3", "", std::nullopt, "running on lab3");
    waiting.returnsTo = "lab1";
    ServiceView returning = service("fax-a", "migrating", "lab2", "lab1", 0.5);
    returning.returnsTo = "lab1";
    fake.statuses = {statusOf({returning, waiting, service("fax-c", "ok", "lab2")}),
                     statusOf({service("fax-a", "ok", "lab1"), waiting, service("fax-c", "ok", "lab2")})};
    const auto run = runCli({"maintenance", "disable", "lab1"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out ==
          "lab1: maintenance disabled\n"
          "bringing services back to lab1 (Ctrl-C stops watching; the return goes on)\n"
          "fax-b: not back yet, stays on lab3 (running on lab3); it returns when lab1 can take it\n"
          "fax-a: back on lab1 (ok)\n"
          "lab1: services back\n");
    CHECK(fake.statusCalls() == 2);

    fake.statuses = {statusOf({service("fax-c", "ok", "lab2")})};
    CHECK_THAT(runCli({"maintenance", "disable", "lab1"}, fake).out, Catch::EndsWith("lab1: no services to bring back\n"));
}

TEST_CASE("maintenance enable exits 3 when the daemon goes away mid-drain", "[api][cli]") {
    FakeAdminApi fake;
    fake.statuses = drainOfLab1();
    fake.statusError = faxover::orchestrator::Error{ErrorKind::DaemonUnreachable, "lost the connection to unix:/x"};
    const auto run = runCli({"maintenance", "enable", "lab1"}, fake);
    CHECK(run.status == kAdminUnreachable);
    CHECK_THAT(run.err, Catch::Contains("lost the connection"));
}
