// Crash safety for real: a child process appends intents as fast as it can and is SIGKILLed at a
// random moment; every intent it saw acknowledged must be in the file, whole, with no id gaps.
#include "store_test_support.h"

#include <catch2/catch.hpp>

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <iostream>
#include <random>
#include <vector>

using namespace store_test;
using namespace faxover::orchestrator::store;

namespace {

// One acknowledgement on the pipe: 24 bytes, below PIPE_BUF, so each write is atomic.
struct Ack {
    std::int64_t id = 0;
    std::int64_t round = 0;
    std::int64_t sequence = 0;
};

Intent crashIntent(std::int64_t round, std::int64_t sequence) {
    Intent intent;
    intent.service = "fax-" + std::to_string(sequence % 7);
    intent.action = sequence % 2 == 0 ? "fence" : "start";
    intent.targetHost = "hv" + std::to_string(round % 3);
    intent.sourceHost = "hv" + std::to_string((round + 1) % 3);
    intent.parameters = {{"round", std::to_string(round)}, {"sequence", std::to_string(sequence)},
                         {"padding", std::string(static_cast<std::size_t>(sequence % 200), 'x')}};
    intent.reason = "crash test round " + std::to_string(round) + " intent " + std::to_string(sequence);
    intent.actor = "daemon";
    intent.createdAt = at(round, sequence);
    return intent;
}

// The child: never returns, leaves only through _exit or the parent's SIGKILL.
[[noreturn]] void appendUntilKilled(const std::string& path, std::int64_t round, int ackFd) {
    auto opened = SqliteStore::open(path);
    if (!opened) ::_exit(2);
    auto& db = *opened.value();
    for (std::int64_t sequence = 0;; ++sequence) {
        auto id = db.appendIntent(crashIntent(round, sequence));
        if (!id) ::_exit(3);
        const Ack ack{id.value(), round, sequence};
        if (::write(ackFd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack)) ::_exit(4);
    }
}

void readAvailable(int fd, std::vector<Ack>& acks, std::string& partial) {
    char buffer[4096];
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got <= 0) return;
    partial.append(buffer, static_cast<std::size_t>(got));
    while (partial.size() >= sizeof(Ack)) {
        Ack ack;
        std::memcpy(&ack, partial.data(), sizeof ack);
        acks.push_back(ack);
        partial.erase(0, sizeof ack);
    }
}

// Runs one child for `lifetime`, collecting acknowledgements until it is dead and the pipe drained.
std::vector<Ack> runAndKill(const std::string& path, std::int64_t round, std::chrono::milliseconds lifetime) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        appendUntilKilled(path, round, fds[1]);
    }
    ::close(fds[1]);
    std::vector<Ack> acks;
    std::string partial;
    const auto deadline = std::chrono::steady_clock::now() + lifetime;
    // Keep reading while it runs so a full pipe never slows the child down.
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd readable{fds[0], POLLIN, 0};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (::poll(&readable, 1, static_cast<int>(std::max<long long>(left.count(), 0))) > 0) {
            readAvailable(fds[0], acks, partial);
        }
    }
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    // Killed, not failed: an _exit code would mean the child's own append went wrong.
    CHECK(WIFSIGNALED(status));
    for (;;) {
        const std::size_t before = acks.size() * sizeof(Ack) + partial.size();
        readAvailable(fds[0], acks, partial);
        if (acks.size() * sizeof(Ack) + partial.size() == before) break;  // EOF
    }
    ::close(fds[0]);
    CHECK(partial.empty());
    return acks;
}

}  // namespace

TEST_CASE("store: SIGKILL at random moments loses no acknowledged intent", "[store][crash]") {
    TempDir dir;
    const std::string path = dir.file("crash.db");
    std::mt19937 random(20261122);  // seeded: a failure replays
    std::uniform_int_distribution<int> lifetimeMs(1, 60);
    constexpr int kRounds = 24;
    std::size_t acknowledged = 0;
    std::size_t stored = 0;

    for (int round = 0; round < kRounds; ++round) {
        const std::vector<Ack> acks = runAndKill(path, round, std::chrono::milliseconds(lifetimeMs(random)));
        acknowledged += acks.size();

        auto db = openOrFail(path);
        auto integrity = db->integrityCheck();
        REQUIRE(integrity);
        CHECK(integrity.value() == "ok");
        auto all = db->intentsAfter(0, std::numeric_limits<std::size_t>::max());
        REQUIRE(all);
        const auto& entries = all.value();
        for (std::size_t i = 0; i < entries.size(); ++i) {
            INFO("round " << round << " position " << i);
            REQUIRE(entries[i].id == static_cast<IntentId>(i + 1));  // contiguous, no gaps or duplicates
        }
        for (const Ack& ack : acks) {
            INFO("round " << round << " acknowledged id " << ack.id);
            REQUIRE(ack.id >= 1);
            REQUIRE(static_cast<std::size_t>(ack.id) <= entries.size());
            CHECK(entries[static_cast<std::size_t>(ack.id - 1)].intent == crashIntent(ack.round, ack.sequence));
        }
        stored = entries.size();
    }
    std::cout << "store crash test: " << kRounds << " SIGKILL rounds, " << acknowledged
              << " acknowledged intents verified, " << stored << " intents in the store\n";
    CHECK(acknowledged > 0);
}
