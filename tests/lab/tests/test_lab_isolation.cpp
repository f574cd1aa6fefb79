// Issue 12: the orchestrator's own link cut for 10 s fences nothing and kills no VM. The daemon
// hears no host at all while the hosts still hear each other; it must conclude that it is the one
// cut off (docs/engine.md, "Own connectivity"), not that three hosts failed at once. The truth about
// the VM is read inside its host (its QEMU process and libvirt's domain id over the host's own
// socket), which the cut does not reach.
#include "DaemonProcess.h"
#include "LabTestSupport.h"

namespace faxover::labtest {

using lab::DaemonProcess;

namespace {

// libvirt's id of a running domain, asked inside `host` (its unix socket, not the cut network):
// a restart or a move gives the domain a new id, so an unchanged id means it ran all along.
std::string domainId(const std::string& host, const std::string& domain) {
    const auto result = lab::runLabScript({"exec", host, "--", "virsh", "-q", "-c", "qemu:///system", "domid", domain});
    if (result.exitCode != 0) return "";
    std::string id = result.out;
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    return id;
}

// A TCP connect from `from` (a lab host, "" = this machine) to `host`'s libvirtd, 2 s at most.
bool connects(const std::string& from, const lab::LabHost& host) {
    const std::vector<std::string> connect{"2", "bash", "-c", "exec 3<>/dev/tcp/$1/16509", "connect", host.address};
    if (from.empty()) return lab::runProgram("/usr/bin/timeout", connect).exitCode == 0;
    std::vector<std::string> arguments{"exec", from, "--", "timeout"};
    arguments.insert(arguments.end(), connect.begin(), connect.end());
    return lab::runLabScript(arguments).exitCode == 0;
}

}  // namespace

TEST_CASE("isolation: the daemon's own link cut for 10 s fences nothing and kills no VM", "[lab][isolation]") {
    LabSession session;
    const std::string host = session.hostName(0);
    const std::string domain = "labtest-isolation";
    const auto guest = runGuest(session, host, lab::Guest::Diskless, domain);
    DaemonProcess daemon(session.lab, domain);
    daemon.start();
    REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 10s));
    const std::string idBefore = domainId(host, domain);
    const std::vector<int> qemuBefore = session.lab.qemuPids(host);
    REQUIRE_FALSE(idBefore.empty());
    REQUIRE(qemuBefore.size() == 1);

    // Declared last, so it runs first: the guest's removal and the next test need the link back.
    const OnExit heal([&] { session.lab.healOrchestrator(); });
    session.lab.cutOrchestrator();
    const auto cutAt = std::chrono::steady_clock::now();
    // The fault is the one this test claims: this machine reaches no host, the hosts reach each other.
    CHECK_FALSE(connects("", session.lab.host(0)));
    CHECK(connects(session.hostName(1), session.lab.host(0)));
    CHECK(connects(session.hostName(2), session.lab.host(1)));

    // Through the cut, sampled inside the host: the same QEMU process, the same domain id.
    int samples = 0;
    std::vector<std::string> changes;
    while (std::chrono::steady_clock::now() - cutAt < 10s) {
        const std::string id = domainId(host, domain);
        const std::vector<int> qemu = session.lab.qemuPids(host);
        if (id != idBefore || qemu != qemuBefore) changes.push_back("domain id '" + id + "', " + std::to_string(qemu.size()) + " QEMU");
        ++samples;
        std::this_thread::sleep_for(250ms);
    }
    const std::string duringCut = daemon.currentLog();
    session.lab.healOrchestrator();

    const bool back = eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 30s);
    INFO(daemon.log());
    CHECK(back);
    WARN("sampled the VM " << samples << " times during the cut");
    CHECK(samples > 10);
    CHECK(changes.empty());
    CHECK(domainId(host, domain) == idBefore);
    CHECK(session.lab.qemuPids(host) == qemuBefore);
    for (std::size_t other = 1; other < session.lab.hosts().size(); ++other)
        CHECK(session.lab.qemuPids(session.hostName(other)).empty());

    // It knew it was the one cut off, while cut, and said so when the link came back.
    CHECK(duringCut.find("orchestrator isolated") != std::string::npos);
    const std::string log = daemon.currentLog();
    const auto isolated = log.find("orchestrator isolated");
    const auto restored = log.find("connectivity restored");
    CHECK(restored != std::string::npos);
    CHECK(isolated < restored);
    // No fence was asked, of any host: nothing started a fence agent and no host was failed.
    CHECK(log.find("fencing") == std::string::npos);
    CHECK(log.find("-> failed") == std::string::npos);
    CHECK(log.find(": fenced") == std::string::npos);
}

}  // namespace faxover::labtest
