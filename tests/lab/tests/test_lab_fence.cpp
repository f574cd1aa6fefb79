// The lab's fence agent (tests/lab/fence_faxlab), driven as the orchestrator will drive any fence
// agent: command line or key=value lines on stdin, exit codes 0 / 1 / 2.
#include "LabTestSupport.h"

using namespace faxover;
using namespace faxover::labtest;

namespace {

lab::CommandOutput fence(const std::vector<std::string>& arguments, const std::string& input = {}) {
    return lab::runProgram(lab::Lab::fenceAgentPath(), arguments, input);
}

}  // namespace

TEST_CASE("the lab fence agent powers a host off and on and reports its status", "[lab][fence]") {
    LabSession session;
    const std::string host = session.hostName(2);
    OnExit powerBackOn([&] { session.lab.powerOn(host); });  // a no-op when it is on

    const auto on = fence({"-o", "status", "-n", host});
    INFO("status: exit " << on.exitCode << ", stdout '" << on.out << "', stderr '" << on.err << "'");
    CHECK(on.exitCode == 0);
    CHECK(on.out == "Status: ON\n");

    const auto started = std::chrono::steady_clock::now();
    const auto off = fence({"-o", "off", "-n", host});
    INFO("off: exit " << off.exitCode << ", took "
                      << std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started).count()
                      << " ms, stderr '" << off.err << "'");
    REQUIRE(off.exitCode == 0);
    // A fenced host is a powered-off one: silence, caught by the keepalive (one interval of slack).
    const auto detection = timeUntil([&] { return !isReachable(*session.hypervisor, host); }, Duration(15000));
    INFO("unreachable " << detection.count() << " ms after the agent returned");
    CHECK(detection <= kKeepAliveBound + Duration(1500));

    const auto offStatus = fence({"-o", "status", "-n", host});
    CHECK(offStatus.exitCode == 2);
    CHECK(offStatus.out == "Status: OFF\n");
    // The stdin form, as fenced and pacemaker's stonith-ng call agents.
    const auto offViaStdin = fence({}, "action=status\nplug=" + host + "\n");
    INFO("stdin status: exit " << offViaStdin.exitCode << ", stderr '" << offViaStdin.err << "'");
    CHECK(offViaStdin.exitCode == 2);
    CHECK(offViaStdin.out == "Status: OFF\n");

    const auto powerOn = fence({"-o", "on", "-n", host});
    INFO("on: exit " << powerOn.exitCode << ", stderr '" << powerOn.err << "'");
    REQUIRE(powerOn.exitCode == 0);
    const auto reconnection = timeUntil([&] { return isReachable(*session.hypervisor, host); }, Duration(15000));
    INFO("reachable again " << reconnection.count() << " ms after the agent returned");
    // One backoff step at most (reconnectMax) plus the connection set-up.
    CHECK(reconnection <= Duration(5000));
    const auto onViaStdin = fence({}, "action=status\nplug=" + host + "\n");
    CHECK(onViaStdin.exitCode == 0);
    CHECK(onViaStdin.out == "Status: ON\n");

    const auto unknown = fence({"-o", "status", "-n", "lab9"});
    INFO("unknown host: stderr '" << unknown.err << "'");
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.out.empty());
    CHECK_THAT(unknown.err, Catch::Contains("lab9"));
}
