// `faxover vm stop|start`, `faxover disable|enable` against a fake AdminApi: the words, their
// mistakes, the question before a VM is shut down, and the API's argument rules.
#include "cli_test_support.h"

using namespace faxover::orchestrator;
using namespace faxover::orchestrator::api;
using namespace faxover::orchestrator::api::test;
using faxover::orchestrator::engine::AdminCommand;
using faxover::orchestrator::engine::Verb;

TEST_CASE("vm stop, vm start, disable and enable parse into their own verbs, not stop", "[api][cli]") {
    CHECK(parsed({"vm", "stop", "fax-a", "--yes"}).command == AdminCommand{Verb::VmStop, "fax-a", "", ""});
    CHECK(parsed({"vm", "start", "fax-a"}).command == AdminCommand{Verb::VmStart, "fax-a", "", ""});
    CHECK(parsed({"disable", "fax-a", "-y"}).command == AdminCommand{Verb::Disable, "fax-a", "", ""});
    CHECK(parsed({"enable", "fax-a"}).command == AdminCommand{Verb::Enable, "fax-a", "", ""});
    CHECK(parsed({"stop", "fax-a"}).command == AdminCommand{Verb::Stop, "fax-a", "", ""});  // IPFX's stop, unchanged
    CHECK(usageError({"vm"}) == "vm takes stop or start, then a SERVICE");
    CHECK(usageError({"vm", "stop"}) == "usage: faxover vm stop SERVICE [--yes]");
    CHECK(usageError({"vm", "start", "fax-a", "lab1"}) == "usage: faxover vm start SERVICE");
    CHECK(usageError({"enable", "fax-a", "--yes"}) ==
          "--yes goes with failover, failback, fence confirm, demote, vm stop, disable SERVICE, migrate and "
          "maintenance enable");
    CHECK(isAdminCommand("vm"));
    CHECK(isAdminCommand("disable"));
    CHECK(isAdminCommand("enable"));
}

TEST_CASE("vm stop and disable ask first and say how the VM comes back", "[api][cli]") {
    FakeAdminApi fake;
    fake.reply = CommandReply{"fax-a: stop requested by admin:alice: shutting down on lab1"};
    const auto yes = runCli({"vm", "stop", "fax-a"}, fake, {"y\n", true});
    CHECK(yes.status == kAdminOk);
    CHECK_THAT(yes.out, Catch::StartsWith("This shuts fax-a's VM down (ACPI, then forced after its shutdown timeout): "
                                          "no faxes until 'faxover vm start fax-a', and its licence seat is given "
                                          "back.\nStop the VM of fax-a? [y/N] "));
    REQUIRE(fake.received().size() == 1);
    CHECK(fake.received()[0] == AdminCommand{Verb::VmStop, "fax-a", "", ""});

    const auto no = runCli({"disable", "fax-a"}, fake, {"n\n", true});
    CHECK(no.status == kAdminRefused);
    CHECK_THAT(no.out, Catch::Contains("until 'faxover enable fax-a'") && Catch::EndsWith("Disable fax-a? [y/N] "));
    CHECK(fake.received().size() == 1);

    CHECK(runCli({"vm", "start", "fax-a"}, fake).status == kAdminOk);  // no question: nothing stops
    CHECK(fake.received().size() == 2);
}

TEST_CASE("the API takes a service and no host for the requested-state verbs", "[api]") {
    for (const Verb verb : {Verb::VmStop, Verb::VmStart, Verb::Disable, Verb::Enable}) {
        INFO(engine::toString(verb));
        CHECK(checkArguments({verb, "fax-a", "", ""}));
        CHECK_FALSE(checkArguments({verb, "", "", ""}));
        CHECK_FALSE(checkArguments({verb, "fax-a", "lab1", ""}));
        CHECK(engine::verbNamed(engine::toString(verb)) == verb);
    }
    CHECK(std::string(engine::toString(Verb::VmStop)) == "vm-stop");
}
