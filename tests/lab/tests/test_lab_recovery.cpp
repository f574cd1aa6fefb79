// The shared lab outlives a test that ctest kills at its timeout (SIGKILL: no scope guard, no
// destructor runs). A hidden test breaks the lab and hangs; this test runs it as ctest would, kills
// it with -9, and checks that the next lab session finds a lab it can use: every host repaired and
// reachable, the killed test's domain gone, and the daemon it started dead with it.
#include "DaemonProcess.h"
#include "LabTestSupport.h"

#include <boost/process.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>

namespace faxover::labtest {

namespace {

constexpr const char* kMarkerVariable = "FAXOVER_LAB_KILLED_TEST_MARKER";
const std::string kAbandonedDomain = "labtest-killed-midway";

bool processGone(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    if (text.empty()) return true;
    const auto state = text.find(") ");
    return state != std::string::npos && text[state + 2] == 'Z';  // a zombie runs nothing
}

}  // namespace

// Run only by the test below (hidden: "[.]"): leaves the lab as a test killed mid-way would.
TEST_CASE("a test that breaks the lab and hangs until it is killed", "[.][killed-midway]") {
    const char* marker = std::getenv(kMarkerVariable);
    REQUIRE(marker != nullptr);
    LabSession session;
    REQUIRE(session.lab.hosts().size() >= 3);
    (void)runGuest(session, session.hostName(0), lab::Guest::Diskless, kAbandonedDomain).release();
    auto* daemon = new lab::DaemonProcess(session.lab, kAbandonedDomain);  // never deleted: killed with us
    daemon->start();
    session.lab.powerOff(session.hostName(1));
    session.lab.cutNetwork(session.hostName(2));
    session.lab.degrade(session.hostName(2), "1mbit");
    std::ofstream(marker) << daemon->pid() << "\n";
    std::this_thread::sleep_for(600s);  // until killed
    FAIL("the killed-midway test was not killed");
}

TEST_CASE("a test killed by its timeout leaves a lab the next test can use", "[lab][recovery]") {
    const auto marker = std::filesystem::temp_directory_path() / ("faxover-lab-killed-" + std::to_string(::getpid()));
    std::filesystem::remove(marker);
    OnExit removeMarker([&] { std::filesystem::remove(marker); });
    auto environment = boost::this_process::environment();
    environment[kMarkerVariable] = marker.string();
    boost::process::child victim(boost::process::exe = std::filesystem::read_symlink("/proc/self/exe").string(),
                                 boost::process::args = {"[killed-midway]"}, environment,
                                 boost::process::std_out > boost::process::null,
                                 boost::process::std_err > boost::process::null);
    const bool broke = eventually([&] { return std::filesystem::exists(marker) && std::filesystem::file_size(marker) > 0; }, 90s);
    ::kill(victim.id(), SIGKILL);  // as ctest does at a test's timeout
    victim.wait();
    REQUIRE(broke);
    // The killed test's daemon directory (DaemonProcess names it after the test's pid).
    const int victimPid = victim.id();
    OnExit removeDaemonDirectory([victimPid] {
        const std::string prefix = "faxover-lab-daemon-" + std::to_string(victimPid) + "-";
        for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
            if (entry.path().filename().string().starts_with(prefix)) std::filesystem::remove_all(entry.path());
    });
    int daemonPid = 0;
    std::ifstream(marker) >> daemonPid;
    REQUIRE(daemonPid > 0);

    LabSession session;  // repairs the lab, then removes what the killed test left
    const std::string& repairs = session.lab.repairs();
    INFO("repairs:\n" << repairs);
    CHECK_THAT(repairs, Catch::Contains("REPAIRED " + session.hostName(1) + " powered on (was off)"));
    CHECK_THAT(repairs, Catch::Contains("REPAIRED " + session.hostName(2) + " link healed (was cut)"));
    CHECK_THAT(repairs, Catch::Contains("REPAIRED " + session.hostName(2) + " rate limit removed"));
    for (const auto& host : session.lab.hosts()) {
        CHECK(isReachable(*session.hypervisor, host.name));
        auto domains = session.hypervisor->listDomains(host.name);
        REQUIRE(domains);
        for (const auto& domain : domains.value()) CHECK(domain.name != kAbandonedDomain);
    }
    // The daemon dies with the test that started it, instead of fencing hosts under the next test.
    CHECK(eventually([&] { return processGone(daemonPid); }, 5s));
}

}  // namespace faxover::labtest
