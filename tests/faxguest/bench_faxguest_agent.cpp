// What the guest agent costs, for docs/performance.md: the real faxguest-agent against a real
// HylaFAX spool (HylafaxSpool: root and hylafax-server), heartbeats over TCP every second. Prints
// the heartbeat's size, the agent's RSS, the CPU time per heartbeat (the agent, and the faxstat it
// runs), and how long each heartbeat's checks take. Measures; asserts nothing.
//   bench_faxguest_agent [HEARTBEATS]
#include "AgentProcess.h"
#include "HylafaxSpool.h"

#include "faxover/faxguest/Protocol.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <numeric>
#include <sstream>
#include <vector>

using namespace faxover::faxguest;
using faxover::faxguest::test::AgentProcess;
using faxover::faxguest::test::HylafaxSpool;

namespace {

// utime+stime and cutime+cstime of a process, in clock ticks (/proc/PID/stat fields 14-17).
std::pair<long, long> cpuTicks(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    const std::vector<std::string> f{std::istream_iterator<std::string>(fields), std::istream_iterator<std::string>()};
    if (f.size() < 15) return {0, 0};
    return {std::stol(f[11]) + std::stol(f[12]), std::stol(f[13]) + std::stol(f[14])};
}

std::string statusField(pid_t pid, const std::string& name) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(name + ":", 0) == 0) return line.substr(line.find_first_not_of(" \t", name.size() + 1));
    }
    return "?";
}

}  // namespace

int main(int argc, char** argv) {
    const int heartbeats = argc > 1 ? std::stoi(argv[1]) : 30;
    HylafaxSpool hylafax;
    const std::uint16_t port = faxover::faxguest::test::freePort();
    const std::string config = hylafax.spool() + "/agent.yaml";
    std::ofstream(config) << "heartbeat_interval_ms: 1000\n"
                          << "transport: {tcp_listen: 127.0.0.1:" << port << "}\n"
                          << "checks:\n  - {name: spool-writable, command: [/usr/bin/test, -w, " << hylafax.spool() << "]}\n"
                          << "hylafax: {spool: " << hylafax.spool() << ", port: " << hylafax.port() << ", modems: ["
                          << HylafaxSpool::kModem << "]}\n";
    AgentProcess agent(config);
    Poco::Net::StreamSocket socket;
    if (!faxover::faxguest::test::connectWithin(socket, port, std::chrono::seconds(5))) {
        std::cerr << "the agent does not listen\n";
        return 1;
    }
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    Poco::Net::SocketStream stream(socket);
    std::vector<std::size_t> sizes;
    std::vector<std::int64_t> checkMillis;
    std::int64_t rss = 0;
    std::string line;
    const auto before = cpuTicks(agent.pid());
    for (int i = 0; i < heartbeats && std::getline(stream, line); ++i) {
        const Heartbeat h = std::get<Heartbeat>(parseLine(line).value());
        sizes.push_back(line.size() + 1);
        std::int64_t total = 0;
        for (const CheckResult& c : h.checks) total += c.elapsedMs;
        checkMillis.push_back(total);
        rss = h.agentRssKiB;
        if (!h.healthy) std::cerr << "unhealthy heartbeat: " << line << "\n";
    }
    const auto after = cpuTicks(agent.pid());
    const double tick = 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
    const auto n = static_cast<double>(sizes.size());
    std::printf("heartbeats: %zu at 1 s, HylaFAX check (5 parts) + 1 command check\n", sizes.size());
    std::printf("heartbeat line: %zu-%zu bytes (limit %zu)\n", *std::min_element(sizes.begin(), sizes.end()),
                *std::max_element(sizes.begin(), sizes.end()), kMaxLineBytes);
    std::printf("agent RSS: %lld KiB in the last heartbeat; VmHWM %s\n", static_cast<long long>(rss),
                statusField(agent.pid(), "VmHWM").c_str());
    std::printf("CPU per heartbeat: agent %.1f ms, its children (faxstat, test) %.1f ms\n",
                static_cast<double>(after.first - before.first) * tick / n,
                static_cast<double>(after.second - before.second) * tick / n);
    std::sort(checkMillis.begin(), checkMillis.end());
    std::printf("checks' time per heartbeat: median %lld ms, max %lld ms\n",
                static_cast<long long>(checkMillis[checkMillis.size() / 2]), static_cast<long long>(checkMillis.back()));
    return 0;
}
