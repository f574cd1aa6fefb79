// The real faxguest-agent inside the lab guest, read by the real `faxover daemon` (issue 15): the
// guest's stand-in fax daemon faxq is killed, the agent's process check says so in the next
// heartbeat, and the daemon restarts the fax service through the agent (restart_service), without
// restarting the VM. The guest runs the real agent when its domain has the lab control channel
// org.faxover.lab.control (tests/lab/guest/init); the test kills faxq by writing `kill-faxq` to
// that channel's host-side unix socket.
#include "DaemonProcess.h"
#include "HookTestSupport.h"
#include "LabTestSupport.h"

#include "faxover/hypervisor/DomainXml.h"

#include <boost/asio/buffers_iterator.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <sstream>

namespace faxover::labtest {

namespace {

constexpr const char* kControlChannel = "org.faxover.lab.control";

// The guest's agent sends a heartbeat a second; the daemon acts after two saying "down".
constexpr const char* kAgentServiceLines =
    "    telephony: sr140\n    max_restart: 1\n    max_relocate: 2\n"
    "    guest_agent: {heartbeat_timeout: 5s}\n"
    "    fax_health: {down_after: 2, restart_service: {max: 2, delay: 5s}}\n";

// The control channel's socket inside the lab host, next to the guest's console file. Given
// explicitly, since the layer's domainXml is the inactive XML, which has no path libvirt picked.
std::string controlSocketInHost(const std::string& name) {
    return "/var/lib/libvirt/qemu/" + name + ".control.sock";
}

// The Linux lab guest with the control channel added.
std::string guestWithRealAgent(const std::string& name) {
    auto xml = hv::DomainXml::parse(lab::Lab::guestXml(lab::Guest::Linux, name));
    REQUIRE(xml);
    REQUIRE(xml.value().addVirtioChannel(kControlChannel, controlSocketInHost(name)));
    return xml.value().toString();
}

// Where the control channel's socket is on this machine.
std::string controlSocket(LabSession& session, const std::string& host, const std::string& name) {
    return session.lab.hostPath(host, controlSocketInHost(name));
}

// Writes one command line to the guest's control channel and returns its one-line answer ("" when
// none came within `limit`).
std::string askGuest(const std::string& socket, const std::string& command, Duration limit) {
    namespace asio = boost::asio;
    asio::io_context io;
    asio::local::stream_protocol::socket peer(io);
    peer.connect(asio::local::stream_protocol::endpoint(socket));
    asio::write(peer, asio::buffer(command + "\n"));
    asio::streambuf answer;
    std::string line;
    asio::async_read_until(peer, answer, '\n', [&](const boost::system::error_code& error, std::size_t size) {
        if (!error) line.assign(asio::buffers_begin(answer.data()), asio::buffers_begin(answer.data()) + size - 1);
    });
    io.run_for(limit);
    return line;
}

// The daemon's resident memory in KiB (VmRSS of /proc/PID/status).
long residentKiB(int pid) {
    std::istringstream status(readText("/proc/" + std::to_string(pid) + "/status"));
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    FAIL("no VmRSS for pid " << pid);
    return 0;
}

// The guest with the real agent, protected by a running daemon that reads its agent.
struct AgentGuest {
    explicit AgentGuest(const std::string& domain)
        : name(domain), guest(runDomain(session, host, name, guestWithRealAgent(name))),
          daemon(session.lab, name, kAgentServiceLines) {
        // The guest's init says it started the real agent (not the shell stand-in) on the agent's port.
        const std::string console = session.lab.consolePath(host, name);
        REQUIRE(eventually([&] { return readText(console).find("real agent started") != std::string::npos; },
                           Duration(60000)));
        daemon.start();
        REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 15s));
        // Some heartbeats reach the daemon before the fault (it logs nothing while all is well).
        std::this_thread::sleep_for(5s);
        INFO(daemon.log());
        REQUIRE(!daemon.logContains("heartbeats lost"));
        REQUIRE(!daemon.logContains("fax service down"));
    }
    LabSession session;
    const std::string host = session.hostName(0);
    const std::string name;
    std::unique_ptr<OnExit> guest;
    lab::DaemonProcess daemon;
};

long long msBetween(std::chrono::steady_clock::time_point from, std::chrono::steady_clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

}  // namespace

TEST_CASE("real guest agent: faxq killed in the guest, the daemon restarts it through the agent", "[lab][agent]") {
    AgentGuest fixture("labtest-agent-real");
    auto& session = fixture.session;
    auto& daemon = fixture.daemon;
    const std::string& host = fixture.host;
    const std::vector<int> qemuBefore = session.lab.qemuPids(host);
    REQUIRE(qemuBefore.size() == 1);

    const std::string answer = askGuest(controlSocket(session, host, fixture.name), "kill-faxq", Duration(10000));
    const auto killed = std::chrono::steady_clock::now();
    REQUIRE(answer.starts_with("killed "));

    // down_after 2 Monitor rounds that saw a heartbeat saying "down" (a heartbeat a second): generous.
    REQUIRE(eventually([&] { return daemon.logContains("fax service down on " + host + " for "); }, 20s));
    const auto down = std::chrono::steady_clock::now();
    CHECK(daemon.logContains("faxq: faxq is not running"));  // the failing check, as the agent said it
    REQUIRE(eventually([&] { return daemon.logContains("restart of the fax service 1 of 2 on " + host); }, 10s));
    const bool upAgain = eventually([&] { return daemon.logContains("fax service up on " + host); }, 30s);
    INFO(daemon.log());
    INFO(readText(session.lab.consolePath(host, fixture.name)));
    REQUIRE(upAgain);
    const auto up = std::chrono::steady_clock::now();
    CHECK(daemon.logContains("fax service restart on " + host + " done"));

    // No VM restart, no relocation: the same QEMU still runs the guest, the service stays ok there.
    CHECK(session.lab.qemuPids(host) == qemuBefore);
    CHECK(daemon.serviceState() == "ok");
    CHECK(daemon.serviceHost() == host);
    CHECK(!daemon.logContains("VM restart"));
    CHECK(!daemon.logContains("relocation"));

    std::cout << "lab agent: faxq killed -> fax service down logged " << msBetween(killed, down)
              << " ms, -> fax service up " << msBetween(killed, up) << " ms (agent heartbeat 1 s, down_after 2)"
              << std::endl;
}

TEST_CASE("real guest agent: a guest flooding garbage on the channel leaves the daemon unharmed", "[lab][agent]") {
    AgentGuest fixture("labtest-agent-flood");
    auto& daemon = fixture.daemon;
    const long before = residentKiB(daemon.pid());

    // The guest stops its agent and writes garbage lines as fast as it can for 20 s (about 180,000
    // lines a second under TCG), then starts the agent again.
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(askGuest(controlSocket(fixture.session, fixture.host, fixture.name), "flood 20", Duration(10000)) ==
            "flooding 20");
    long most = before;
    int answered = 0;
    int asked = 0;
    while (std::chrono::steady_clock::now() < started + 20s) {
        // Its API keeps answering, and its memory stays where it was.
        ++asked;
        if (!fixture.daemon.serviceState().empty()) ++answered;
        most = std::max(most, residentKiB(daemon.pid()));
        std::this_thread::sleep_for(1s);
    }
    INFO(daemon.log());
    CHECK(answered == asked);
    // The agent is back: its heartbeats are taken again (the rate limit has refilled).
    REQUIRE(eventually([&] { return daemon.logContains("heartbeats back from the guest agent on " + fixture.host); },
                       30s));
    const long after = residentKiB(daemon.pid());
    // The garbage was reported (a warning), the silence was never read as a dead fax service.
    CHECK(daemon.logContains("guest agent input refused"));
    CHECK(daemon.logContains("heartbeats lost"));
    CHECK(!daemon.logContains("fax service down"));
    CHECK(daemon.serviceState() == "ok");
    // Bounded: the refused lines are counted, not kept (a line is at most 64 KiB).
    CHECK(most - before < 8 * 1024);
    CHECK(after - before < 8 * 1024);
    std::cout << "lab agent flood: daemon VmRSS " << before << " KiB before, at most " << most << " KiB during, "
              << after << " KiB after; API answered " << answered << "/" << asked << std::endl;
}

}  // namespace faxover::labtest
