// How fast the real `faxover daemon` recovers a protected VM in the lab, and what it costs at rest.
// Prints figures; asserts nothing.
//   bench_lab_failover [RUNS [IDLE_SECONDS]]     default 5 runs of each fault, 30 s idle
//
// A three-host lab (it starts its own: `faxover-lab down` first, torn down at the end), the
// diskless lab guest on lab1, protected by a daemon of its own for every run (fresh policy, store
// and counters, so every run is the same):
//   power-off   lab.powerOff(lab1) -> the daemon's API says the service is ok on another host
//               (polled every 50 ms), with the daemon's log lines for where the time went;
//   VM crash    kill -9 of the guest's QEMU on lab1 -> a new QEMU runs it and the API says ok;
//   idle        the daemon's VmRSS, VmHWM and CPU (utime + stime) over IDLE_SECONDS, 3 hosts, 1 service.
// Between runs the daemon stops, lab1 is powered on again and the guest is put back on lab1.
#include "DaemonProcess.h"
#include "LabHarness.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace faxover;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using WallTime = std::chrono::system_clock::time_point;

namespace {

const std::string kDomain = "bench-failover";

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Polls `condition` every 50 ms; throws after `timeout`.
void waitFor(const std::function<bool()>& condition, std::chrono::seconds timeout, const std::string& what) {
    const auto deadline = Clock::now() + timeout;
    while (!condition()) {
        if (Clock::now() > deadline) throw std::runtime_error(what + ": not within " + std::to_string(timeout.count()) + " s");
        std::this_thread::sleep_for(50ms);
    }
}

bool reachable(hv::Hypervisor& hypervisor, const std::string& host) {
    auto status = hypervisor.hostStatus(host);
    return status && status.value().reachability == hv::Reachability::Reachable;
}

// The guest's QEMU processes, whichever host runs them: /proc is faster to read than
// `faxover-lab qemu-pids` (a script), so it is what the 50 ms poll uses. A killed QEMU waiting to
// be reaped has an empty command line and does not count.
std::vector<int> guestQemuPids() {
    std::vector<int> pids;
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) return pids;
    while (const dirent* entry = ::readdir(proc)) {
        const int pid = std::atoi(entry->d_name);
        if (pid <= 0) continue;
        std::ifstream file("/proc/" + std::string(entry->d_name) + "/cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(file)), {});
        std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
        if (cmdline.find("qemu-system") != std::string::npos && cmdline.find("guest=" + kDomain + ",") != std::string::npos)
            pids.push_back(pid);
    }
    ::closedir(proc);
    return pids;
}

// "2026-11-22T10:15:02.125Z" as a time point.
std::optional<WallTime> parseIsoTime(const std::string& text) {
    std::tm utc{};
    int millis = 0;
    if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &utc.tm_year, &utc.tm_mon, &utc.tm_mday, &utc.tm_hour,
                    &utc.tm_min, &utc.tm_sec, &millis) != 7)
        return std::nullopt;
    utc.tm_year -= 1900;
    utc.tm_mon -= 1;
    return std::chrono::system_clock::from_time_t(::timegm(&utc)) + std::chrono::milliseconds(millis);
}

struct LogLine {
    WallTime time{};
    std::string text{};  // "subject: message", without the ALERT marker
};

// The daemon's state-change log: `ISO-time [ALERT ]subject: message`.
std::vector<LogLine> parseLog(const std::string& log) {
    std::vector<LogLine> lines;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        const auto space = line.find(' ');
        if (space == std::string::npos) continue;
        const auto time = parseIsoTime(line.substr(0, space));
        if (!time) continue;
        std::string text = line.substr(space + 1);
        if (text.rfind("ALERT ", 0) == 0) text.erase(0, 6);
        lines.push_back({*time, text});
    }
    return lines;
}

// Milliseconds from `start` to the first line at or after it starting with `prefix` and
// containing `part`; nullopt when there is none.
std::optional<double> firstLine(const std::vector<LogLine>& lines, WallTime start, const std::string& prefix,
                                const std::string& part) {
    for (const auto& line : lines) {
        if (line.time + 1ms < start) continue;  // the log has millisecond resolution
        if (line.text.rfind(prefix, 0) == 0 && line.text.find(part) != std::string::npos)
            return std::chrono::duration<double, std::milli>(line.time - start).count();
    }
    return std::nullopt;
}

// The first run of each fault shows its whole story: the daemon's lines from the fault on.
void printLines(const std::vector<LogLine>& lines, WallTime start) {
    for (const auto& line : lines)
        if (line.time + 1ms >= start)
            std::printf("    +%5ld ms  %s\n",
                        static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(line.time - start).count()),
                        line.text.c_str());
}

struct Stats {
    std::vector<double> values;
    void add(double value) { values.push_back(value); }
};

void print(const std::string& name, const Stats& stats, const char* unit, const char* format = "%8.0f") {
    std::vector<double> values = stats.values;
    if (values.empty()) {
        std::printf("%-36s n=0\n", name.c_str());
        return;
    }
    std::sort(values.begin(), values.end());
    const std::string numbers = std::string("min ") + format + "  median " + format + "  max " + format + " %s\n";
    std::printf("%-36s n=%-2zu ", name.c_str(), values.size());
    std::printf(numbers.c_str(), values.front(), values[values.size() / 2], values.back(), unit);
}

class Bench {
public:
    explicit Bench(lab::Lab& lab) : lab_(lab), hypervisor_(settings()) {
        for (const auto& host : lab.hosts())
            if (auto added = hypervisor_.addHost(host.config()); !added) throw std::runtime_error(added.error().message);
        if (!hypervisor_.waitUntilReachable(hv::Duration(15000))) throw std::runtime_error("lab hosts unreachable");
    }
    ~Bench() { removeGuest(); }

    const std::string& home() const { return lab_.host(0).name; }

    // The guest defined and running on lab1 only, and a fresh daemon protecting it there.
    std::unique_ptr<lab::DaemonProcess> protectGuest() {
        removeGuest();
        if (auto defined = hypervisor_.defineDomain(home(), lab::Lab::guestXml(lab::Guest::Diskless, kDomain)); !defined)
            throw std::runtime_error("define: " + defined.error().message);
        if (auto started = hypervisor_.startDomain(home(), kDomain); !started)
            throw std::runtime_error("start: " + started.error().message);
        auto daemon = std::make_unique<lab::DaemonProcess>(lab_, kDomain);
        daemon->start();
        try {
            waitFor([&] { return daemon->serviceState() == "ok" && daemon->serviceHost() == home(); }, 15s,
                    "service ok on " + home());
        } catch (const std::runtime_error& error) {
            throw std::runtime_error(std::string(error.what()) + "\n" + daemon->log());
        }
        return daemon;
    }

    // lab1 powered on, linked, libvirtd up, and seen reachable again.
    void restoreHome() {
        lab_.healNetwork(home());
        lab_.powerOn(home());
        lab_.startLibvirtd(home());
        waitFor([&] { return reachable(hypervisor_, home()); }, 20s, home() + " reachable again");
    }

    void removeGuest() {
        for (const auto& host : hypervisor_.hosts()) {
            (void)hypervisor_.destroyDomain(host, kDomain);
            (void)hypervisor_.undefineDomain(host, kDomain);
        }
    }

private:
    static hv::ConnectionSettings settings() {
        hv::ConnectionSettings fast;  // the bench's own connection: quick to see lab1 back
        fast.reconnectMin = hv::Duration(200);
        fast.reconnectMax = hv::Duration(1000);
        return fast;
    }
    lab::Lab& lab_;
    hv::LibvirtHypervisor hypervisor_;
};

// A line of the daemon's log that marks a step of a recovery.
struct Milestone {
    const char* label;
    std::string prefix;
    const char* part;
};

void powerOffRuns(Bench& bench, lab::Lab& lab, int runs) {
    const std::string home = bench.home();
    const std::vector<Milestone> milestones = {
        {"  host degraded", "host " + home + ": ", "-> degraded"},
        {"  host suspect", "host " + home + ": ", "-> suspect"},
        {"  host failed", "host " + home + ": ", "-> failed"},
        {"  fencing", "host " + home + ": ", "fencing"},
        {"  fenced", "host " + home + ": ", "fenced"},
        {"  start decided (starting on)", "service lab-fax: ", "starting on"},
        {"  started on", "service lab-fax: ", "started on"},
    };
    Stats total;
    std::map<std::string, Stats> parts;
    for (int run = 0; run < runs; ++run) {
        auto daemon = bench.protectGuest();
        const WallTime wallStart = std::chrono::system_clock::now();
        const auto start = Clock::now();
        lab.powerOff(home);
        waitFor([&] { return daemon->serviceState() == "ok" && !daemon->serviceHost().empty() &&
                             daemon->serviceHost() != home; },
                60s, "service ok elsewhere after power-off");
        const double took = millisecondsSince(start);
        total.add(took);
        const auto lines = parseLog(daemon->currentLog());
        std::printf("power-off run %d: %.0f ms, now on %s;", run + 1, took, daemon->serviceHost().c_str());
        for (const auto& milestone : milestones) {
            const auto at = firstLine(lines, wallStart, milestone.prefix, milestone.part);
            if (at) parts[milestone.label].add(*at);
            std::printf(" %s %s", milestone.part, at ? std::to_string(static_cast<long>(*at)).c_str() : "-");
        }
        std::printf("\n");
        if (run == 0) printLines(lines, wallStart);
        std::fflush(stdout);
        daemon->terminate();
        bench.restoreHome();
    }
    print("power-off -> service ok elsewhere", total, "ms");
    for (const auto& milestone : milestones) print(milestone.label, parts[milestone.label], "ms");
}

void crashRuns(Bench& bench, lab::Lab& lab, int runs) {
    const std::string home = bench.home();
    Stats total, noticed, started;
    for (int run = 0; run < runs; ++run) {
        auto daemon = bench.protectGuest();
        const auto pids = lab.qemuPids(home);
        if (pids.size() != 1) throw std::runtime_error(home + " runs " + std::to_string(pids.size()) + " QEMUs, not 1");
        const int old = pids.front();
        const WallTime wallStart = std::chrono::system_clock::now();
        const auto start = Clock::now();
        ::kill(old, SIGKILL);
        waitFor(
            [&] {
                const auto now = guestQemuPids();
                return std::find(now.begin(), now.end(), old) == now.end() && now.size() == 1 &&
                       daemon->serviceState() == "ok";
            },
            30s, "service ok again after its QEMU was killed");
        const double took = millisecondsSince(start);
        total.add(took);
        const auto lines = parseLog(daemon->currentLog());
        const auto left = firstLine(lines, wallStart, "service lab-fax: ok -> ", "");
        const auto back = firstLine(lines, wallStart, "service lab-fax: ", "started on");
        if (left) noticed.add(*left);
        if (back) started.add(*back);
        std::printf("VM crash run %d: %.0f ms, on %s (qemu %d -> %d); left ok %s, started on %s\n", run + 1, took,
                    daemon->serviceHost().c_str(), old, guestQemuPids().front(),
                    left ? std::to_string(static_cast<long>(*left)).c_str() : "-",
                    back ? std::to_string(static_cast<long>(*back)).c_str() : "-");
        if (run == 0) printLines(lines, wallStart);
        std::fflush(stdout);
        daemon->terminate();
    }
    print("VM crash -> service ok again", total, "ms");
    print("  service leaves ok (crash seen)", noticed, "ms");
    print("  started on", started, "ms");
}

std::map<std::string, std::string> procStatus(int pid) {
    std::map<std::string, std::string> fields;
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        fields[line.substr(0, colon)] = value;
    }
    return fields;
}

// utime + stime of `pid`, in clock ticks (/proc/PID/stat fields 14 and 15).
long cpuTicks(int pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(file)), {});
    std::istringstream rest(stat.substr(stat.rfind(')') + 2));  // the command name may hold spaces
    std::string field;
    long utime = 0, stime = 0;
    for (int index = 3; rest >> field; ++index) {
        if (index == 14) utime = std::stol(field);
        if (index == 15) {
            stime = std::stol(field);
            break;
        }
    }
    return utime + stime;
}

void idleRun(Bench& bench, int idleSeconds) {
    auto daemon = bench.protectGuest();
    std::this_thread::sleep_for(3s);  // past its start-up
    const int pid = daemon->pid();
    const long before = cpuTicks(pid);
    const auto start = Clock::now();
    std::this_thread::sleep_for(std::chrono::seconds(idleSeconds));
    const long after = cpuTicks(pid);
    const double seconds = millisecondsSince(start) / 1000.0;
    const double cpu = 100.0 * static_cast<double>(after - before) / static_cast<double>(::sysconf(_SC_CLK_TCK)) / seconds;
    const auto status = procStatus(pid);
    std::printf("daemon at rest (3 hosts, 1 service, %s on %s): VmRSS %s, VmHWM %s, threads %s\n",
                daemon->serviceState().c_str(), daemon->serviceHost().c_str(), status.at("VmRSS").c_str(),
                status.at("VmHWM").c_str(), status.at("Threads").c_str());
    std::printf("daemon idle CPU over %.1f s: %ld ticks = %.2f %% of one core\n", seconds, after - before, cpu);
    daemon->terminate();
}

}  // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::stoi(argv[1])) : 5;
    const int idleSeconds = argc > 2 ? std::max(1, std::stoi(argv[2])) : 30;
    try {
        lab::runLabScript({"down"});
        lab::Lab lab = lab::Lab::start(3);
        {
            Bench bench(lab);
            std::printf("3 lab hosts, diskless guest (64 MiB, TCG), default monitoring profile (500 ms interval, "
                        "400 ms timeout, suspect at 4, failed at 7 missed rounds), fence_faxlab\n");
            powerOffRuns(bench, lab, runs);
            crashRuns(bench, lab, runs);
            idleRun(bench, idleSeconds);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "bench_lab_failover: %s\n", error.what());
        lab::runLabScript({"down"});
        return 1;
    }
    return 0;
}
