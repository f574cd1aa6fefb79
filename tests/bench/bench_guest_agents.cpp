// What the guest agent link (agent::GuestAgents) costs the daemon, over the simulated hypervisor's
// virtio-serial channels (docs/guest-agent.md, "The orchestrator's side"). Prints figures for
// docs/performance.md; asserts nothing about speed, but exits 1 if a count is not what the link
// promises (a figure over wrong counts would be worthless).
//   bench_guest_agents [HEARTBEATS [SIM_SECONDS]]   default 200,000 heartbeats and 600 simulated s
//
//   heartbeats   the heartbeat of docs/guest-agent.md, one per simulated second (under the rate
//                limit, so every one is parsed): heartbeats taken per second of wall time, CPU per
//                heartbeat; the monitor's check() every 5 simulated seconds, as its probe would.
//   flood        100,000 garbage lines in one burst (most dropped unparsed by the rate limit), then
//                100,000 paced at the rate limit (every one parsed and refused); each: CPU, the
//                daemon's RSS growth (VmHWM after, less VmRSS before), parsed vs dropped, and
//                whether the next valid heartbeat is taken. Then 2,000 lines just under the line
//                limit, paced (the most a guest can make the daemon parse), and one 8 MiB line with
//                no newline.
//   services     1, 10 and 100 services, each with a heartbeat a second and a check() a second,
//                for SIM_SECONDS simulated seconds: the daemon's CPU % per service.
// Not measured here: libvirt's stream and event loop under the channel (the sim hands bytes over
// in the call), which the lab's guest (tests/lab) would add.
#include "faxover/faxguest/Protocol.h"
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/agent/GuestAgents.h"
#include "faxover/orchestrator/ports/WallClock.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using namespace faxover;
using namespace std::chrono_literals;
namespace agent = faxover::orchestrator::agent;
namespace ports = faxover::orchestrator::ports;
namespace faxguest = faxover::faxguest;

namespace {

constexpr const char* kChannel = "org.faxover.agent.0";
constexpr std::size_t kChunkBytes = 16 * 1024;  // what one channel read delivers at most
constexpr std::size_t kFloodLines = 100'000;

// Simulated wall time: the rate limit and the reports follow it, not the real clock.
class BenchWall final : public ports::WallClock {
public:
    ports::WallTime now() const override { return now_; }
    void advance(std::chrono::milliseconds by) { now_ += by; }

private:
    ports::WallTime now_{std::chrono::seconds(1'800'000'000)};
};

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "bench_guest_agents: %s\n", what.c_str());
    std::exit(1);
}

template <class T>
void require(const hv::Result<T>& result, const std::string& what) {
    if (!result) fail(what + ": " + result.error().message);
}

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A "VmRSS:" style field of /proc/self/status, in KiB.
long statusKiB(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
    }
    fail("no " + field + " in /proc/self/status");
}

// Resets VmHWM to the current RSS (Linux 4.0+), so that a section's peak is its own.
void resetPeakRss() { std::ofstream("/proc/self/clear_refs") << "5"; }

std::string domainName(int i) { return "fax" + std::to_string(i); }

// The heartbeat of docs/guest-agent.md, field for field.
faxguest::Heartbeat docsHeartbeat(std::int64_t seq) {
    faxguest::Heartbeat heartbeat;
    heartbeat.seq = seq;
    heartbeat.agentVersion = "0.1.0";
    heartbeat.agentRssKiB = 7928;
    heartbeat.product = "hylafax";
    heartbeat.productVersion = "6.0.7";
    heartbeat.checks = {{"hylafax.faxq", "hylafax", true, "pid 15089", 1},
                        {"hylafax.protocol", "hylafax", false, "127.0.0.1:4559 did not answer within 2000 ms", 2001}};
    heartbeat.telephony.boards = {{"0000:00:05.0", "0x12e4", "0x4001"}};
    heartbeat.telephony.softModem = true;
    heartbeat.telephony.modems = {{"ttyIAX0", "Running and idle"}};
    heartbeat.queues = {3, 0, 1};
    heartbeat.licence = {"licensed", "exit 0: seat 1"};
    return heartbeat;
}

// Host "a" running fax0..fax<services-1>, each the domain of a service that reads its agent.
struct Link {
    hv::ManualClock clock;
    hv::sim::SimulatedHypervisor sim{clock};
    BenchWall wall;
    std::unique_ptr<agent::GuestAgents> agents;
    int services;

    explicit Link(int count) : services(count) {
        hv::sim::SimHostSpec host;
        host.config = hv::HostConfig{"a", "qemu+tcp://198.18.0.11/system", "198.18.0.11"};
        host.cpus = 64;
        host.memoryKiB = 1024ull * 1024 * 1024;
        require(sim.addSimHost(host), "add host");
        auto cluster = std::make_shared<policy::Policy>();
        for (int i = 0; i < services; ++i) {
            const std::string xml = "<domain type='qemu'><name>" + domainName(i) +
                                    "</name><memory unit='KiB'>131072</memory><vcpu>1</vcpu>"
                                    "<os><type arch='x86_64'>hvm</type></os><devices/></domain>";
            require(sim.defineDomain("a", xml), "define " + domainName(i));
            require(sim.startDomain("a", domainName(i)), "start " + domainName(i));
            policy::ServicePolicy service;
            service.name = "svc" + std::to_string(i);
            service.domain = {policy::DomainRef::Kind::Name, domainName(i)};
            service.guestAgent = policy::GuestAgentPolicy{};
            cluster->services.push_back(service);
        }
        agents = std::make_unique<agent::GuestAgents>(sim, wall, nullptr, cluster);
        checkAll();  // the monitor's first look opens every channel
    }

    // The monitor's probe: true when the agent answered.
    bool check(int i) {
        const auto health = agents->check("a", domainName(i));
        if (!health) fail("no guest health for " + domainName(i));
        return health->agentAnswered;
    }
    void checkAll() {
        for (int i = 0; i < services; ++i) (void)check(i);
    }

    void write(int i, std::string_view bytes) { require(sim.writeFromGuest(domainName(i), kChannel, bytes), "write"); }

    // `count` copies of `line` into service 0's channel, in channel-sized chunks, `perSecond` lines
    // per simulated second (0: all at one instant).
    void writeLines(const std::string& line, std::size_t count, std::size_t perSecond) {
        std::string chunk;
        for (std::size_t i = 0; i < count; ++i) {
            chunk += line;
            const bool secondOver = perSecond > 0 && (i + 1) % perSecond == 0;
            if (chunk.size() >= kChunkBytes || secondOver) write(0, std::exchange(chunk, {}));
            if (secondOver) {
                wall.advance(1s);
                if ((i + 1) / perSecond % 5 == 0) (void)check(0);  // the monitor's probe, every 5 s
            }
        }
        if (!chunk.empty()) write(0, chunk);
    }

    agent::AgentCounters counters(int i = 0) const {
        const auto counted = agents->counters("svc" + std::to_string(i));
        if (!counted) fail("no counters");
        return *counted;
    }
};

void benchHeartbeats(std::size_t heartbeats) {
    Link link(1);
    const std::string sample = faxguest::encodeLine(docsHeartbeat(1));
    const auto wallStart = std::chrono::steady_clock::now();
    const double cpuStart = cpuSeconds();
    for (std::size_t i = 1; i <= heartbeats; ++i) {
        link.write(0, faxguest::encodeLine(docsHeartbeat(static_cast<std::int64_t>(i))));
        link.wall.advance(1s);
        if (i % 5 == 0) (void)link.check(0);
    }
    const double cpu = cpuSeconds() - cpuStart;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    const auto counted = link.counters();
    if (counted.heartbeats != heartbeats || counted.garbage + counted.dropped != 0) fail("heartbeats not all taken");
    if (!link.check(0)) fail("the agent does not count as answering");
    std::printf("heartbeats: %zu of %zu bytes (docs/guest-agent.md), one per simulated second, check() every 5\n",
                heartbeats, sample.size() - 1);
    std::printf("  taken %zu, refused %llu; %.0f heartbeats/s; CPU %.1f us per heartbeat (encoding included)\n",
                static_cast<std::size_t>(counted.heartbeats),
                static_cast<unsigned long long>(counted.garbage + counted.dropped), heartbeats / wall,
                cpu / static_cast<double>(heartbeats) * 1e6);
    // The encoding alone, to subtract: the daemon does not encode what it reads.
    const double encodeStart = cpuSeconds();
    std::size_t bytes = 0;
    for (std::size_t i = 1; i <= heartbeats; ++i) bytes += faxguest::encodeLine(docsHeartbeat(static_cast<std::int64_t>(i))).size();
    const double encode = cpuSeconds() - encodeStart;
    std::printf("  of which building and encoding the line in the bench: %.1f us (%zu bytes in all)\n",
                encode / static_cast<double>(heartbeats) * 1e6, bytes);
}

struct FloodFigures {
    double cpu;
    long rssGrowthKiB;
    agent::AgentCounters counted;
    bool nextTaken;
};

// `total` lines of `garbage`, in turn, `perSecond` a simulated second (0: in one burst).
FloodFigures flood(const std::vector<std::string>& garbage, std::size_t total, std::size_t perSecond) {
    Link link(1);
    std::string lines;
    for (const std::string& line : garbage) lines += line;
    resetPeakRss();
    const long rssBefore = statusKiB("VmRSS");
    const double cpuStart = cpuSeconds();
    link.writeLines(lines, total / garbage.size(), perSecond / garbage.size());
    const double cpu = cpuSeconds() - cpuStart;
    const long rssGrowth = statusKiB("VmHWM") - rssBefore;
    FloodFigures figures{cpu, rssGrowth, link.counters(), false};
    link.wall.advance(3s);  // the bucket refills
    link.write(0, faxguest::encodeLine(docsHeartbeat(1)));
    figures.nextTaken = link.check(0) && link.counters().heartbeats == 1;
    return figures;
}

void printFlood(const char* name, const FloodFigures& f, std::size_t total = kFloodLines) {
    std::printf("  %-34s CPU %6.1f ms (%.2f us/line); RSS growth %ld KiB; parsed+refused %llu, dropped "
                "unparsed %llu; next heartbeat taken: %s\n",
                name, f.cpu * 1e3, f.cpu / static_cast<double>(total) * 1e6, f.rssGrowthKiB,
                static_cast<unsigned long long>(f.counted.garbage), static_cast<unsigned long long>(f.counted.dropped),
                f.nextTaken ? "yes" : "NO");
    if (f.counted.garbage + f.counted.dropped != total || f.counted.heartbeats != 0 || !f.nextTaken) {
        fail(std::string(name) + ": counts not as the link promises");
    }
}

void benchFlood() {
    // Four kinds of garbage, in turn: JSON of the wrong schema, not JSON, a command (a guest never
    // sends one), and a heartbeat 3 KiB long whose every check is broken.
    std::string longBad = "{\"v\":1,\"type\":\"heartbeat\",\"seq\":1,\"checks\":[";
    while (longBad.size() < 3000) longBad += "{\"name\":\"x\",\"ok\":\"maybe\"},";
    longBad += "{}]}\n";
    faxguest::Command command;
    command.id = "c-1";
    const std::vector<std::string> garbage = {"{\"v\":1,\"type\":\"heartbeat\",\"seq\":\"x\"}\n",
                                              "\x01\x02 not json at all \xff\xfe\n", faxguest::encodeLine(command),
                                              longBad};
    std::printf("flood: %zu garbage lines (4 kinds, 1 of them 3 KiB) into one channel\n", kFloodLines);
    printFlood("in one burst (rate limit drops):", flood(garbage, kFloodLines, 0));
    const auto rate = static_cast<std::size_t>(policy::GuestAgentPolicy{}.maxLinesPerSecond);
    printFlood("paced at the rate limit (all parsed):", flood(garbage, kFloodLines, rate));
    // The worst a guest can do within the limit: the longest line the reader keeps, all parsed.
    std::string longest = "{\"v\":1,\"type\":\"heartbeat\",\"seq\":1,\"checks\":[";
    while (longest.size() < faxguest::kMaxLineBytes - 64) longest += "{\"name\":\"x\",\"ok\":\"maybe\"},";
    longest += "{}]}\n";
    constexpr std::size_t kLongest = 2'000;
    std::printf("flood: %zu lines of %zu bytes (the line limit is %zu), paced at the rate limit\n", kLongest,
                longest.size(), faxguest::kMaxLineBytes);
    printFlood("paced at the rate limit (all parsed):", flood({longest}, kLongest, rate), kLongest);

    Link link(1);
    resetPeakRss();
    const long rssBefore = statusKiB("VmRSS");
    const double cpuStart = cpuSeconds();
    const std::string megabyte(1024 * 1024, 'x');
    for (int i = 0; i < 8; ++i) link.write(0, megabyte);
    link.write(0, "\n" + faxguest::encodeLine(docsHeartbeat(1)));
    const double cpu = cpuSeconds() - cpuStart;
    const long growth = statusKiB("VmHWM") - rssBefore;
    const bool taken = link.check(0) && link.counters().heartbeats == 1 && link.counters().garbage == 1;
    std::printf("  %-34s CPU %6.1f ms; RSS growth %ld KiB (the bench's own 1 MiB buffer included); next "
                "heartbeat taken: %s\n",
                "one 8 MiB line, no newline:", cpu * 1e3, growth, taken ? "yes" : "NO");
    if (!taken) fail("endless line: counts not as the link promises");
}

void benchServices(int seconds) {
    std::printf("services: a heartbeat and a check() a second each, %d simulated s\n", seconds);
    for (const int services : {1, 10, 100}) {
        Link link(services);
        std::vector<std::string> lines;
        for (int i = 0; i < services; ++i) lines.push_back(faxguest::encodeLine(docsHeartbeat(1)));
        const double cpuStart = cpuSeconds();
        for (int second = 0; second < seconds; ++second) {
            for (int i = 0; i < services; ++i) link.write(i, lines[static_cast<std::size_t>(i)]);
            link.wall.advance(1s);
            link.checkAll();
        }
        const double cpu = cpuSeconds() - cpuStart;
        for (int i = 0; i < services; ++i) {
            if (link.counters(i).heartbeats != static_cast<std::uint64_t>(seconds)) fail("a heartbeat was lost");
        }
        std::printf("  %3d service(s): CPU %7.1f ms in all; %.5f %% of one core per service\n", services,
                    cpu * 1e3, cpu / (static_cast<double>(seconds) * services) * 100);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t heartbeats = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 600;
    if (heartbeats == 0 || seconds <= 0) fail("usage: bench_guest_agents [HEARTBEATS [SIM_SECONDS]]");
    benchHeartbeats(heartbeats);
    benchFlood();
    benchServices(seconds);
    return 0;
}
