// The daemon on a character device, as on the virtio-serial port in a guest: here a raw
// pseudo-terminal stands in for the port, and the test plays the host.
#include "faxover/faxguest/Protocol.h"

#include "AgentProcess.h"
#include "TempDir.h"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

using namespace faxover::faxguest;

namespace {

// Reads lines from `fd` until `wanted` accepts one or `patience` has passed.
template <typename Wanted>
bool readUntil(int fd, LineReader& reader, Wanted wanted, std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd ready{fd, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) continue;
        std::array<char, 4096> buffer{};
        const ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got <= 0) continue;
        for (const LineReader::Item& item : reader.feed(std::string_view(buffer.data(), static_cast<std::size_t>(got)))) {
            const ParseResult parsed = parseLine(item.line);
            REQUIRE(parsed.has_value());
            if (wanted(parsed.value())) return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("the daemon on a device that appears after it started: heartbeats out, a command in, its reply out") {
    int host = -1;
    int guest = -1;
    std::array<char, 128> name{};
    REQUIRE(::openpty(&host, &guest, name.data(), nullptr, nullptr) == 0);
    termios raw{};
    REQUIRE(::tcgetattr(guest, &raw) == 0);
    ::cfmakeraw(&raw);
    REQUIRE(::tcsetattr(guest, TCSANOW, &raw) == 0);

    faxover::test::TempDir dir("faxguest-");
    const std::string config = dir.file("agent.yaml");
    const std::string port = dir.file("org.faxover.agent.0");  // appears after the agent has started
    std::ofstream(config) << "heartbeat_interval_ms: 200\ntransport: {device: " << port << "}\n"
                          << "product: {name: testfax, version: \"1.0\"}\n"
                          << "checks:\n  - {name: true, command: [/bin/true]}\n"
                          << "telephony: {pci_root: " << dir.path().string() << "}\n";
    faxover::faxguest::test::AgentProcess agent(config);
    ::usleep(300 * 1000);
    std::filesystem::create_symlink(name.data(), port);
    ::close(guest);
    LineReader reader;
    std::optional<Heartbeat> heartbeat;
    CHECK(readUntil(host, reader, [&](const Message& m) {
        if (const Heartbeat* h = std::get_if<Heartbeat>(&m)) heartbeat = *h;
        return heartbeat.has_value();
    }, std::chrono::seconds(5)));
    REQUIRE(heartbeat);
    CHECK(heartbeat->healthy);
    CHECK(heartbeat->product == "testfax");
    CHECK(heartbeat->productVersion == "1.0");
    CHECK(heartbeat->checks.size() == 1);

    const std::string lines = std::string(70000, 'x') + "\n" + encodeLine(Command{"d1", CommandKind::SelfTest, 0});
    REQUIRE(::write(host, lines.data(), lines.size()) == static_cast<ssize_t>(lines.size()));
    CHECK(readUntil(host, reader, [](const Message& m) {
        const Reply* r = std::get_if<Reply>(&m);
        return r != nullptr && r->id == "d1" && r->ok;
    }, std::chrono::seconds(5)));
    CHECK(agent.stop() == 0);
    ::close(host);
}
