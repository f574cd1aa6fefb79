// The libvirt qemu hook (issue #4, docs/hook.md) on real lab hosts: a start the orchestrator's ledger
// does not allow is refused by libvirt itself, whoever asks (here: the layer's plain startDomain, as
// an admin's `virsh start` would); without the orchestrator the hook fails closed for the protected
// domains it knows, until an admin override; other domains start.
#include "DaemonProcess.h"
#include "HookTestSupport.h"

namespace faxover::labtest {

using Catch::Matchers::Contains;
using lab::DaemonProcess;

namespace {
// On the lab bridge, and nobody's: connecting there waits for an ARP answer that never comes.
constexpr const char* kSilentOrchestrator = "http://198.18.0.250:18471";
}  // namespace

TEST_CASE("hook: without its orchestrator it fails closed for protected domains until an override", "[lab][hook]") {
    LabSession session;
    const std::string host = session.hostName(1);
    const std::string name = "labtest-hook-closed";
    auto guest = defineGuest(session, host, lab::Lab::guestXml(lab::Guest::Diskless, name), name);
    EnrolledHost enrolled(session.lab, host, kSilentOrchestrator, 1000);
    // The cache as an earlier answer of the orchestrator leaves it (the daemon test below has the
    // real daemon write it): this test is about the hook when nobody answers.
    enrolled.seedCache("# seeded by the lab test\n" + name + "\n");

    const auto started = std::chrono::steady_clock::now();
    std::string refusal = startError(session, host, name);
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK_THAT(refusal,
               Contains("faxover: refusing to start " + name + " on " + host + ": " + name +
                        " is protected and the orchestrator at " + kSilentOrchestrator + " could not be reached ("));
    // The connect times out, unless the kernel still remembers that nobody answered ARP there.
    CHECK_THAT(refusal, Contains("no answer within 1000 ms") || Contains("No route to host"));
    CHECK_THAT(refusal, Contains(std::string("add the line '") + name + " until=TIME reason=TEXT'"));
    CHECK_THAT(refusal, Contains(kOverrideInHost));
    CHECK(took < 5s);  // the configured timeout bounds how long a start waits for the hook
    CHECK_FALSE(isRunning(session, host, name));

    // Expired and malformed overrides do not count, and the refusal says why.
    enrolled.writeOverride(name + " until=" + isoUtc(-1h) + " reason=yesterday's outage\n" + name +
                           " until=tomorrow reason=not a time\n");
    refusal = startError(session, host, name);
    CHECK_THAT(refusal, Contains("faxover: refusing to start " + name));
    CHECK_THAT(refusal, Contains("line 1: expired at"));
    CHECK_THAT(refusal, Contains("line 2: until='tomorrow' is not an ISO 8601 time"));
    CHECK_FALSE(isRunning(session, host, name));

    // A valid override lets it start, and the hook's log keeps who said why.
    enrolled.writeOverride("# the orchestrator's site is down\n" + name + " until=" + isoUtc(1h) +
                           " reason=lab test, orchestrator site down\n");
    refusal = startError(session, host, name);
    CHECK(refusal.empty());
    CHECK(isRunning(session, host, name));
    CHECK_THAT(enrolled.log(), Contains(name));
    CHECK_THAT(enrolled.log(),
               Contains("allowed (override): admin override " + std::string(kOverrideInHost) + " line 2 until"));
    CHECK_THAT(enrolled.log(), Contains("reason: lab test, orchestrator site down"));

    // A domain the cache does not list starts without the orchestrator.
    auto other = runGuest(session, host, lab::Guest::Diskless, "labtest-hook-unlisted");
    CHECK_THAT(enrolled.log(), Contains("labtest-hook-unlisted"));
    CHECK_THAT(enrolled.log(), Contains("allowed (not protected)"));
}

TEST_CASE("hook: a live migration to a host that may not start the domain is refused there", "[lab][hook]") {
    LabSession session;
    const std::string source = session.hostName(0);
    const std::string target = session.hostName(1);
    const std::string name = "labtest-hook-migrate";
    auto guest = runGuest(session, source, lab::Guest::Diskless, name);
    EnrolledHost enrolled(session.lab, target, kSilentOrchestrator, 500);
    enrolled.seedCache(name + "\n");

    // libvirt 9.0 runs "prepare begin" on the destination of an incoming migration too.
    auto migrated = session.hypervisor->migrateLive(source, target, name, {}, {});
    REQUIRE_FALSE(migrated);
    CHECK_THAT(migrated.error().message, Contains("faxover: refusing to start " + name + " on " + target));
    CHECK(isRunning(session, source, name));
    CHECK_FALSE(isRunning(session, target, name));
}

TEST_CASE("hook: the real daemon's ledger refuses a second start, and its answer is cached", "[lab][hook][daemon]") {
    LabSession session;
    const std::string holder = session.hostName(0);
    const std::string other = session.hostName(1);
    const std::string name = "labtest-hook-licensed";
    const std::string listen = "198.18.0.1:" + std::to_string(freePort("198.18.0.1"));
    auto guest = runGuest(session, holder, lab::Guest::Diskless, name);
    copyDefinition(session, holder, other, name);  // the same VM (same UUID) is defined on `other` too
    DaemonProcess daemon(session.lab, name);
    daemon.addArguments({"--hook-listen", listen});
    daemon.start();
    REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == holder; }, 10s));
    EnrolledHost enrolled(session.lab, other, "http://" + listen);

    // (a) The ledger gives the licence to `holder`: libvirt on `other` refuses, with the daemon's reason.
    std::string refusal = startError(session, other, name);
    INFO(daemon.log());
    INFO("hook log on " << other << ":\n" << enrolled.log());
    CHECK_THAT(refusal, Contains("faxover: refusing to start " + name + " on " + other + ": "));
    CHECK_THAT(refusal, !Contains("could not be reached"));  // the daemon's answer, not the fallback
    CHECK_THAT(enrolled.log(), Contains("refused (orchestrator http://" + listen + ")"));
    CHECK_FALSE(isRunning(session, other, name));
    CHECK(isRunning(session, holder, name));
    CHECK_THAT(enrolled.cache(), Contains(name));  // from the answer's "protected" list
    auto audit = daemon.api().licenceAudit(std::nullopt);
    REQUIRE(audit);
    CHECK(std::any_of(audit.value().begin(), audit.value().end(), [&](const auto& entry) {
        return entry.event == "refuse" && entry.actor.find("libvirt-hook:" + other) != std::string::npos;
    }));
    // A domain the policy does not protect is allowed by the daemon.
    auto unprotected = runGuest(session, other, lab::Guest::Diskless, "labtest-hook-free");
    CHECK_THAT(enrolled.log(), Contains("labtest-hook-free"));
    CHECK_THAT(enrolled.log(), Contains("allowed (orchestrator http://" + listen + ")"));

    // (b) The daemon is gone, and so is the VM on `holder`: the cache of the real answer makes the
    // hook fail closed, naming the override.
    daemon.kill9();
    REQUIRE(session.hypervisor->destroyDomain(holder, name));
    refusal = startError(session, other, name);
    CHECK_THAT(refusal, Contains("faxover: refusing to start " + name + " on " + other + ": " + name +
                                 " is protected and the orchestrator at http://" + listen + " could not be reached"));
    CHECK_THAT(refusal, Contains(kOverrideInHost));
    CHECK_FALSE(isRunning(session, other, name));

    // (c) The admin's override lets it start.
    enrolled.writeOverride(name + " until=" + isoUtc(30min) + " reason=lab test, daemon down\n");
    refusal = startError(session, other, name);
    CHECK(refusal.empty());
    CHECK(isRunning(session, other, name));
}

TEST_CASE("hook: a live migration the daemon makes is allowed by the target's hook", "[lab][hook][daemon]") {
    EnrolledCluster cluster("labtest-hook-maint");
    auto reply = cluster.daemon.api().execute({orchestrator::engine::Verb::MaintenanceEnable, "", cluster.host, ""});
    INFO((reply ? reply.value().message : reply.error().message));
    REQUIRE(reply);
    cluster.requireMovedThroughHook("labtest-hook-maint");
    CHECK(cluster.daemon.logContains("live migration " + cluster.host + " -> "));
    CHECK(cluster.daemon.api().execute({orchestrator::engine::Verb::MaintenanceDisable, "", cluster.host, ""}));
}

TEST_CASE("hook: a failover restart the daemon makes is allowed by the target's hook", "[lab][hook][daemon]") {
    EnrolledCluster cluster("labtest-hook-failover");
    cluster.session.lab.powerOff(cluster.host);
    const auto took = cluster.requireMovedThroughHook("labtest-hook-failover");
    // The hostile-client test (test_lab_hostile.cpp) does the same under attack: docs/testing.md
    // compares the two.
    std::cout << "hook: failover through the hooks, no attack, took "
              << std::chrono::duration<double>(took).count() << " s\n";
    CHECK(cluster.daemon.logContains("host " + cluster.host + ": fenced"));
}

}  // namespace faxover::labtest
