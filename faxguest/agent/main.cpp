// faxguest-agent: the agent inside a fax VM (docs/guest-agent.md).
//   faxguest-agent CONFIG          run: a heartbeat every interval, commands answered
//   faxguest-agent --check CONFIG  validate the config, print one heartbeat line, exit 0 when healthy
#include "Agent.h"
#include "Config.h"
#include "Transport.h"

#include "faxover/faxguest/Protocol.h"

#include <poll.h>
#include <signal.h>

#include <csignal>
#include <cstring>
#include <iostream>

namespace {

using namespace faxover::faxguest;
using Clock = std::chrono::steady_clock;

volatile std::sig_atomic_t stopRequested = 0;

void onStop(int) { stopRequested = 1; }

void log(const std::string& message) { std::cerr << "faxguest-agent: " << message << std::endl; }

void handleLine(agent::Agent& agent, agent::Transport& transport, const std::string& line) {
    const ParseResult parsed = parseLine(line);
    if (parsed.has_error()) {
        log("refused a line: " + parsed.error().message);
        return;
    }
    const Command* command = std::get_if<Command>(&parsed.value());
    if (command == nullptr) {
        log("refused a line: only commands are taken");
        return;
    }
    log("command " + commandName(command->kind) + " (" + command->id + ")");
    if (const auto reply = agent.handle(*command)) transport.send(encodeLine(*reply));
}

// The device may appear after the agent starts (virtio_console loaded later): it is tried again
// every heartbeat interval until it opens or the agent is stopped.
std::unique_ptr<agent::Transport> openWhenReady(const agent::Config& config) {
    bool reported = false;
    while (stopRequested == 0) {
        try {
            return agent::openTransport(config.transport);
        } catch (const std::exception& e) {
            if (!reported) log(std::string(e.what()) + ": trying again every heartbeat interval");
            reported = true;
        }
        ::poll(nullptr, 0, static_cast<int>(config.heartbeatInterval.count()));  // a signal ends it early
    }
    return nullptr;
}

int run(const agent::Config& config) {
    struct sigaction action {};
    action.sa_handler = onStop;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    std::unique_ptr<agent::Transport> transport = openWhenReady(config);
    if (!transport) return 0;
    agent::Agent agent(config);
    LineReader reader;
    log("version " + std::string(agent::kAgentVersion) + " on " + transport->describe());
    auto next = Clock::now();
    std::int64_t dropped = 0;
    while (stopRequested == 0) {
        if (Clock::now() >= next) {
            if (!transport->send(encodeLine(agent.heartbeat())) && ++dropped % 100 == 1) {
                log("heartbeat dropped: no peer reads (" + std::to_string(dropped) + " so far)");
            }
            next = Clock::now() + config.heartbeatInterval;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now());
        const std::string bytes = transport->receive(std::min(left, std::chrono::milliseconds(200)));
        for (const LineReader::Item& item : reader.feed(bytes)) {
            if (!item.error.empty()) {
                log("refused a line: " + item.error);
            } else if (!item.line.empty()) {
                handleLine(agent, *transport, item.line);
            }
        }
        for (const Reply& reply : agent.poll()) transport->send(encodeLine(reply));
    }
    log("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const bool checkOnly = argc == 3 && std::strcmp(argv[1], "--check") == 0;
    if (argc != 2 && !checkOnly) {
        std::cerr << "usage: faxguest-agent [--check] CONFIG\n";
        return 2;
    }
    try {
        const agent::Config config = agent::loadConfig(argv[argc - 1]);
        if (!checkOnly) return run(config);
        agent::Agent agent(config);
        const Heartbeat heartbeat = agent.heartbeat();
        std::cout << encodeLine(heartbeat);
        return heartbeat.healthy ? 0 : 1;
    } catch (const std::exception& e) {
        log(e.what());
        return 2;
    }
}
