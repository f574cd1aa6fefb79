// The admin commands of `faxover`: parsing, output, confirmations and exit codes, against a fake
// AdminApi; the last tests run the whole CLI against a real server.
#include "cli_test_support.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/api/Json.h"

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;
using faxover::orchestrator::ErrorKind;

TEST_CASE("admin command lines parse into commands", "[api][cli]") {
    CHECK_FALSE(parsed({"status"}).command);
    CHECK(parsed({"status"}).endpoint == parseApiEndpoint(kDefaultApiAddress).value());
    CHECK(parsed({"migrate", "fax-a"}).command == AdminCommand{Verb::Migrate, "fax-a", "", ""});
    CHECK(parsed({"migrate", "fax-a", "lab2"}).command == AdminCommand{Verb::Migrate, "fax-a", "lab2", ""});
    CHECK(parsed({"failover", "fax-a", "--yes"}).command == AdminCommand{Verb::Failover, "fax-a", "", ""});
    CHECK(parsed({"failover", "fax-a", "--yes"}).yes);
    CHECK(parsed({"failover", "fax-a", "lab3", "--yes"}).command == AdminCommand{Verb::Failover, "fax-a", "lab3", ""});
    CHECK(parsed({"failback", "fax-a"}).command == AdminCommand{Verb::Failback, "fax-a", "", ""});
    CHECK(parsed({"maintenance", "enable", "lab1"}).command == AdminCommand{Verb::MaintenanceEnable, "", "lab1", ""});
    CHECK(parsed({"maintenance", "enable", "lab1", "--no-wait"}).noWait);
    CHECK(parsed({"maintenance", "disable", "lab1"}).command == AdminCommand{Verb::MaintenanceDisable, "", "lab1", ""});
    CHECK(parsed({"suspend", "fax-a"}).command == AdminCommand{Verb::Suspend, "fax-a", "", ""});
    CHECK(parsed({"resume", "fax-a"}).command == AdminCommand{Verb::Resume, "fax-a", "", ""});
    CHECK(parsed({"stop", "fax-a"}).command == AdminCommand{Verb::Stop, "fax-a", "", ""});
    CHECK(parsed({"fence", "confirm", "lab3", "-y"}).command == AdminCommand{Verb::FenceConfirm, "", "lab3", ""});

    const auto global = parsed({"--api", "tcp:127.0.0.1:7480", "--json", "status"});
    CHECK(global.json);
    CHECK(global.endpoint == parseApiEndpoint("tcp:127.0.0.1:7480").value());
    CHECK(parsed({"status", "--api=/tmp/f.sock"}).endpoint.path == "/tmp/f.sock");
    CHECK(parseAdminArguments({"status"}, "unix:/srv/x.sock").value().endpoint.path == "/srv/x.sock");
}

TEST_CASE("admin command lines with mistakes are usage errors that say what is wrong", "[api][cli]") {
    CHECK(usageError({}) == "name a command");
    CHECK(usageError({"--json"}) == "name a command");
    CHECK(usageError({"explode"}) == "unknown command 'explode'");
    CHECK(usageError({"migrate"}) == "usage: faxover migrate SERVICE [HOST] [--yes]");
    CHECK(usageError({"migrate", "a", "b", "c"}) == "usage: faxover migrate SERVICE [HOST] [--yes]");
    CHECK(usageError({"failover", "fax-a", "lab2", "lab3"}) == "usage: faxover failover SERVICE [HOST] [--yes]");
    CHECK(usageError({"failback", "fax-a", "lab2"}) == "usage: faxover failback SERVICE [--yes]");
    CHECK(usageError({"status", "fax-a", "now"}) == "usage: faxover status [SERVICE]");
    CHECK(parsed({"status", "fax-a"}).service == "fax-a");
    CHECK(parsed({"status"}).service.empty());
    CHECK_THAT(usageError({"maintenance", "lab1"}), Catch::Contains("enable or disable"));
    CHECK_THAT(usageError({"maintenance"}), Catch::Contains("enable or disable"));
    CHECK_THAT(usageError({"fence", "lab1"}), Catch::Contains("confirm"));
    CHECK(usageError({"maintenance", "enable"}) == "usage: faxover maintenance enable HOST [--no-wait] [--yes]");
    CHECK(usageError({"status", "--yes"}) ==
          "--yes goes with failover, failback, fence confirm, demote, vm stop, disable SERVICE, migrate and "
          "maintenance enable");
    CHECK(usageError({"failover", "fax-a", "--no-wait"}) == "--no-wait goes with maintenance enable and disable");
    CHECK(usageError({"status", "--api"}) == "--api needs an ADDRESS");
    CHECK(usageError({"status", "--verbose"}) == "unknown option '--verbose'");
    CHECK_THAT(usageError({"--api", "ftp://x", "status"}), Catch::Contains("API address 'ftp://x'"));
    CHECK(isAdminCommand("maintenance"));
    CHECK(isAdminCommand("fence"));
    CHECK_FALSE(isAdminCommand("inventory"));
    CHECK_FALSE(isAdminCommand("confirm"));
}

TEST_CASE("status prints aligned service and host tables with ages", "[api][cli]") {
    FakeAdminApi fake;
    const auto run = runCli({"status"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out ==
          "policy: /etc/faxover/policy.yaml\n"
          "\n"
          "SERVICES\n"
          "NAME   STATE          REQUESTED  HOST          MODE   FAX                   SINCE      REASON\n"
          "fax-a  ok             started    lab1          sr140  up                    3m12s ago  heartbeat and fax health ok\n"
          "fax-b  migrating 45%  started    lab1 -> lab2  board  no heartbeat 40s ago  4s ago     maintenance on lab1\n"
          "\n"
          "HOSTS\n"
          "NAME  HEALTH   LIBVIRT      MAINT  FENCE    SINCE      PLANNED\n"
          "lab1  ok       reachable    yes    -        1h02m ago  -\n"
          "lab2  suspect  unreachable  no     pending  7s ago     -\n");
    CHECK(run.err.empty());
}

TEST_CASE("status ages read in the largest fitting units", "[api][cli]") {
    using namespace std::chrono_literals;
    FakeAdminApi fake;
    ClusterStatus status;
    for (const auto age : {0s, 59s, 60s, 3599s, 3600s, 86399s, 86400s + 4h, 400 * 86400s}) {
        status.hosts.push_back({"h", "ok", "reachable", false, "", sampleNow() - age, ""});
    }
    status.hosts.push_back({"future", "ok", "reachable", false, "", sampleNow() + 5s, ""});
    status.hosts.push_back({"never", "unknown", "", false, "", WallTime{}, ""});
    fake.statuses = {status};
    const std::string out = runCli({"status"}, fake).out;
    // PLANNED follows SINCE: each age is followed by its column's padding.
    for (const auto& age : {" 0s ago ", " 59s ago ", " 1m00s ago ", " 59m59s ago ", " 1h00m ago ", " 23h59m ago ",
                            " 1d04h ago ", " 400d00h ago  -\n", "never   unknown  -          no     -      -   "}) {
        INFO(age);
        CHECK_THAT(out, Catch::Contains(age));
    }
    CHECK_THAT(out, Catch::Contains("SERVICES\nNAME  STATE  REQUESTED  HOST  MODE  FAX  SINCE  REASON\n\nHOSTS"));
}

TEST_CASE("the FAX column says what the guest agent said, or why it cannot", "[api][cli]") {
    FakeAdminApi fake;
    ClusterStatus status = sampleStatus();
    ServiceView service = status.services.at(0);
    const auto cellOf = [&](const std::optional<FaxView>& fax) {
        status.services = {service};
        status.services[0].fax = fax;
        fake.statuses = {status};
        const std::string out = runCli({"status"}, fake).out;
        const auto line = out.find("fax-a  ");
        REQUIRE(line != std::string::npos);
        return out.substr(line, out.find('\n', line) - line);
    };
    FaxView fax = *service.fax;
    CHECK_THAT(cellOf(fax), Catch::Contains(" sr140  up   3m12s ago "));
    fax.quiesced = true;
    CHECK_THAT(cellOf(fax), Catch::Contains(" sr140  up, quiesced  3m12s ago "));
    fax.service = "down";
    fax.checks[1].ok = false;  // the first failing check names the cell
    CHECK_THAT(cellOf(fax), Catch::Contains(" sr140  down: hylafax.hfaxd  3m12s ago "));
    fax.checks.clear();
    fax.detail = "unhealthy (no failing check named)";
    CHECK_THAT(cellOf(fax), Catch::Contains(" down: unhealthy (no failing check named)  "));
    CHECK_THAT(cellOf(FaxView{"none", "unknown"}), Catch::Contains(" sr140  no heartbeat yet  3m12s ago "));
    CHECK_THAT(cellOf(std::nullopt), Catch::Contains(" sr140  -    3m12s ago "));
}

TEST_CASE("status SERVICE shows its fax health: checks, queues, last heartbeat, escalation", "[api][cli]") {
    FakeAdminApi fake;
    ClusterStatus status = sampleStatus();
    FaxView& fax = *status.services.at(0).fax;
    fax.service = "down";
    fax.detail = "hylafax.faxq: not running";
    fax.checks[0] = {"hylafax.faxq", false, "not running"};
    fax.serviceRestarts = 1;
    fax.nextStep = sampleNow() + 25s;
    fake.statuses = {status};
    auto run = runCli({"status", "fax-a"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out ==
          "fax-a: ok on lab1 since 3m12s ago: heartbeat and fax health ok\n"
          "\n"
          "FAX HEALTH\n"
          "WHAT        VALUE\n"
          "agent       answering (agent 0.3.0), last heartbeat 2s ago\n"
          "service     down: hylafax.faxq: not running\n"
          "product     hylafax 6.0.7\n"
          "licence     licensed\n"
          "queues      outbound 2, inbound 0, active 1\n"
          "escalation  1 service restart; no next step for 25s\n"
          "\n"
          "CHECKS\n"
          "NAME           OK   DETAIL\n"
          "hylafax.faxq   no   not running\n"
          "hylafax.hfaxd  yes  answers on 4559\n");
    CHECK(run.err.empty());

    // --json: the service's object of the status document, nothing else.
    fake.statuses = {status};
    run = runCli({"--json", "status", "fax-a"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, Catch::StartsWith("{\n  \"name\": \"fax-a\""));
    CHECK_THAT(run.out, Catch::Contains("\"serviceRestarts\": 1"));
    CHECK_THAT(run.out, Catch::Contains("\"nextStep\": \"2024-05-01T12:00:25.000Z\""));

    // A service without a guest agent says so; an unknown one is refused naming the known ones.
    status.services.at(1).fax.reset();
    fake.statuses = {status};
    run = runCli({"status", "fax-b"}, fake);
    CHECK_THAT(run.out, Catch::EndsWith("fax health: no guest agent (the policy gives fax-b no guest_agent)\n"));
    fake.statuses = {status};
    run = runCli({"status", "fax-z"}, fake);
    CHECK(run.status == kAdminRefused);
    CHECK(run.err == "faxover: unknown service 'fax-z' (services: fax-a, fax-b)\n");
}

TEST_CASE("status --json prints the ClusterStatus document", "[api][cli]") {
    FakeAdminApi fake;
    const auto run = runCli({"--json", "status"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(clusterStatusFromJson(run.out).value() == sampleStatus());
    CHECK_THAT(run.out, Catch::Contains("\n  \"services\""));
}

TEST_CASE("commands print the daemon's answer and exit 0", "[api][cli]") {
    FakeAdminApi fake;
    const auto run = runCli({"migrate", "fax-a", "lab2"}, fake);
    CHECK(run.status == kAdminOk);
    CHECK(run.out == fake.reply.message + "\n");
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::Migrate, "fax-a", "lab2", ""}});
    const auto json = runCli({"suspend", "fax-a", "--json"}, fake);
    CHECK(commandReplyFromJson(json.out).value() == fake.reply);
}

TEST_CASE("refusals exit 1 and an unreachable daemon exits 3, with the message", "[api][cli]") {
    FakeAdminApi fake;
    fake.executeError = faxover::orchestrator::Error{ErrorKind::Refused, "fax-a is already migrating to lab2"};
    auto run = runCli({"failback", "fax-a"}, fake);
    CHECK(run.status == kAdminRefused);
    CHECK(run.err == "faxover: fax-a is already migrating to lab2\n");
    CHECK(run.out.empty());

    fake.executeError = faxover::orchestrator::Error{ErrorKind::BadRequest, "no service named fax-z"};
    CHECK(runCli({"stop", "fax-z"}, fake).status == kAdminRefused);

    fake.executeError = faxover::orchestrator::Error{ErrorKind::DaemonUnreachable, "daemon is not answering at unix:/x: is `faxover daemon` running?"};
    CHECK(runCli({"resume", "fax-a"}, fake).status == kAdminUnreachable);
    fake.statusError = faxover::orchestrator::Error{ErrorKind::DaemonUnreachable, "the daemon did not answer within 10000 ms"};
    run = runCli({"status"}, fake);
    CHECK(run.status == kAdminUnreachable);
    CHECK_THAT(run.err, Catch::Contains("did not answer"));
}

TEST_CASE("failover without --yes and without a terminal refuses with exit 2", "[api][cli]") {
    FakeAdminApi fake;
    const auto run = runCli({"failover", "fax-a"}, fake);
    CHECK(run.status == kAdminUsage);
    CHECK_THAT(run.err, Catch::Contains("pass --yes"));
    CHECK(fake.received().empty());
    CHECK(runCli({"fence", "confirm", "lab1"}, fake).status == kAdminUsage);
    CHECK(fake.received().empty());
    CHECK(runCli({"failover", "fax-a", "--yes"}, fake).status == kAdminOk);
    CHECK(fake.received().size() == 1);
}

TEST_CASE("failover on a terminal asks first and names the current host", "[api][cli]") {
    FakeAdminApi fake;
    auto run = runCli({"failover", "fax-b"}, fake, {"y\n", true});
    CHECK(run.status == kAdminOk);
    CHECK(run.out == "Fail over fax-b from lab1? [y/N] " + fake.reply.message + "\n");
    CHECK(fake.received().size() == 1);

    for (const auto& answer : {"\n", "n\n", "no\n", "", "yes please\n"}) {
        INFO(answer);
        run = runCli({"failover", "fax-a"}, fake, {answer, true});
        CHECK(run.status == kAdminRefused);
        CHECK_THAT(run.err, Catch::Contains("not confirmed"));
    }
    CHECK(runCli({"failover", "fax-a"}, fake, {"YES\n", true}).status == kAdminOk);
    CHECK(fake.received().size() == 2);

    // With a target host, the question names it and the command carries it.
    run = runCli({"failover", "fax-b", "lab3"}, fake, {"y\n", true});
    CHECK(run.out == "Fail over fax-b from lab1 to lab3? [y/N] " + fake.reply.message + "\n");
    REQUIRE(fake.received().size() == 3);
    CHECK(fake.received().back() == AdminCommand{Verb::Failover, "fax-b", "lab3", ""});
}

TEST_CASE("fence confirm explains the risk before asking", "[api][cli]") {
    FakeAdminApi fake;
    const auto run = runCli({"fence", "confirm", "lab2"}, fake, {"y\n", true});
    CHECK(run.status == kAdminOk);
    CHECK_THAT(run.out, Catch::Contains("lab2 is powered off") && Catch::Contains("runs twice") &&
                            Catch::Contains("Confirm that lab2 is powered off? [y/N] "));
    CHECK(fake.received() == std::vector<AdminCommand>{{Verb::FenceConfirm, "", "lab2", ""}});
}

TEST_CASE("the whole CLI against a real server over a unix socket", "[api][cli][server]") {
    TempDir folder;
    FakeAdminApi fake;
    const std::string address = "unix:" + folder.file("faxover.sock");
    ApiServer server(fake, parseApiEndpoint(address).value());
    REQUIRE(server.start());
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    CliConsole console{in, out, err};
    CHECK(runAdminCli({"--api", address, "status"}, kDefaultApiAddress, console) == kAdminOk);
    CHECK_THAT(out.str(), Catch::Contains("fax-b  migrating 45%"));
    CHECK(runAdminCli({"stop", "fax-a"}, address, console) == kAdminOk);
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0].actor.rfind("admin:", 0) == 0);
    fake.executeError = faxover::orchestrator::Error{ErrorKind::Refused, "fax-a is stopped"};
    CHECK(runAdminCli({"failback", "fax-a"}, address, console) == kAdminRefused);
    CHECK_THAT(err.str(), Catch::Contains("faxover: fax-a is stopped"));
    CHECK(runAdminCli({"bogus"}, address, console) == kAdminUsage);
    server.stop();
    CHECK(runAdminCli({"status"}, address, console) == kAdminUnreachable);
    CHECK_THAT(err.str(), Catch::Contains("daemon is not answering at") && Catch::Contains("is `faxover daemon` running?"));
}
