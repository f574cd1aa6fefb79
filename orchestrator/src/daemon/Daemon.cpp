#include "faxover/orchestrator/Daemon.h"
#include "faxover/orchestrator/agent/GuestAgents.h"

#include "faxover/hypervisor/LibvirtHypervisor.h"
#include "faxover/orchestrator/api/ApiServer.h"
#include "faxover/orchestrator/events/EventSinks.h"
#include "faxover/orchestrator/fence/ProcessFenceAgent.h"
#include "faxover/orchestrator/fence/SecretFiles.h"
#include "faxover/orchestrator/licence/ProcessLicenceSteps.h"
#include "faxover/orchestrator/telco/ProcessTelcoHooks.h"
#include "faxover/orchestrator/monitor/PocoTcpProber.h"
#include "faxover/orchestrator/runtime/Monitor.h"
#include "faxover/orchestrator/runtime/Runtime.h"
#include "faxover/orchestrator/store/SqliteStore.h"
#include "faxover/orchestrator/store/StoreLock.h"
#include "process/OwnedProcesses.h"
#include "faxover/policies/PolicyLoader.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <functional>
#include <optional>
#include <thread>

namespace faxover::orchestrator {

namespace {

constexpr int kExitCannotStart = 1;
constexpr int kExitUsage = 2;

struct DaemonOptions {
    std::string policyFile;
    std::string storePath = kDefaultStorePath;
    std::string apiAddress = api::kDefaultApiAddress;
    std::string hookAddress;  // empty: no hook listener
    bool insecureTcp = false;  // the admin API on loopback TCP, whose callers name themselves
};

// The daemon's options (CLI11). Nothing, after saying what is wrong, for a usage error; `help`
// is set for --help.
std::optional<DaemonOptions> parseOptions(const std::vector<std::string>& arguments, std::ostream& out,
                                          std::ostream& err, bool& help) {
    DaemonOptions options;
    CLI::App app{"Monitors the policy's hosts and recovers its services (docs/daemon.md). SIGHUP reloads the "
                 "policy; SIGTERM stops.",
                 "faxover daemon"};
    app.set_help_flag("-h,--help", "show this help");
    // An option given twice: the last one counts, as with most Unix tools (and before CLI11).
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.add_option("--policy", options.policyFile, "the policy file (docs/policy.md)")->type_name("FILE")->required();
    app.add_option("--store", options.storePath, "the store (default " + std::string(kDefaultStorePath) + ")")
        ->type_name("PATH");
    app.add_option("--api", options.apiAddress,
                   "the admin API: unix:/PATH (default " + std::string(api::kDefaultApiAddress) +
                       ") or tcp:127.0.0.1:PORT with --insecure-tcp")
        ->type_name("ADDRESS");
    app.add_flag("--insecure-tcp", options.insecureTcp,
                 "accept --api on TCP, whose callers name themselves without authentication");
    app.add_option("--hook-listen", options.hookAddress, "where the hosts' libvirt hooks ask may-start (docs/hook.md)")
        ->type_name("ADDRESS:PORT");
    app.footer("Exit status: 0 stopped by a signal, 1 could not start, 2 usage error.\n");
    app.allow_extras();  // a misspelt option is named below, before "--policy is required"
    std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());  // CLI11 takes them so
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        help = true;
        return std::nullopt;
    } catch (const CLI::ParseError& error) {
        const auto unknown = app.remaining();
        err << "faxover daemon: " << (unknown.empty() ? error.what() : "unknown option '" + unknown.front() + "'") << "\n"
            << app.help();
        return std::nullopt;
    }
    if (const auto unknown = app.remaining(); !unknown.empty()) {
        err << "faxover daemon: unknown option '" << unknown.front() << "'\n" << app.help();
        return std::nullopt;
    }
    return options;
}

// The policy, or nullptr; `report` is told every warning and error (PolicyError::kind says which).
std::shared_ptr<const policy::Policy> loadPolicy(const std::string& file,
                                                 const std::function<void(const policy::PolicyError&)>& report) {
    auto loaded = policy::loadPolicyFile(file);
    for (const auto& warning : loaded.warnings) report(warning);
    if (loaded) return std::make_shared<const policy::Policy>(std::move(*loaded.policy));
    for (const auto& error : loaded.errors) report(error);
    return nullptr;
}

bool isWarning(const policy::PolicyError& problem) { return problem.kind == policy::PolicyErrorKind::Warning; }

// Makes the hypervisor layer's hosts those of the policy (a host whose URI changed is re-added).
void syncHosts(hv::Hypervisor& hypervisor, const policy::Policy& policy, std::ostream& err) {
    for (const auto& name : hypervisor.hosts()) {
        const auto* host = policy.findHost(name);
        if (host == nullptr) (void)hypervisor.removeHost(name);
    }
    const auto known = hypervisor.hosts();
    for (const auto& host : policy.hosts) {
        if (std::find(known.begin(), known.end(), host.name) != known.end()) continue;
        if (auto added = hypervisor.addHost({host.name, host.uri, host.migrationAddress}); !added)
            err << "faxover daemon: host " << host.name << ": " << added.error().message << "\n";
    }
}

// Rounds every monitoring interval until stopped; each round blocks for about a probe timeout.
class MonitorLoop {
public:
    MonitorLoop(runtime::Runtime& runtime, runtime::Monitor& monitor) : runtime_(runtime), monitor_(monitor) {
        thread_ = std::thread([this] { run(); });
    }
    ~MonitorLoop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

private:
    void run() {
        auto next = std::chrono::steady_clock::now();
        for (;;) {
            const auto policy = runtime_.policy();
            runtime_.observeRound(monitor_.collect(policy));
            next += policy->monitoring.interval;
            // Never try to catch up a backlog of rounds: that would count one outage many times.
            next = std::max(next, std::chrono::steady_clock::now());
            std::unique_lock lock(mutex_);
            while (!stopping_ && wake_.wait_until(lock, next) != std::cv_status::timeout) {
            }
            if (stopping_) return;
            lock.unlock();
            runtime_.tick();
        }
    }

    runtime::Runtime& runtime_;
    runtime::Monitor& monitor_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

// The daemon's own events (start, stop, reloads), stamped with the wall clock, into the event queue.
class DaemonEvents {
public:
    DaemonEvents(ports::EventSink& queue, const runtime::WallClock& wall) : queue_(queue), wall_(wall) {}
    void operator()(engine::Event event) const {
        event.time = wall_.now();
        queue_.deliver(event);
    }

private:
    ports::EventSink& queue_;
    const runtime::WallClock& wall_;
};

engine::Event policyAlert(std::string message) {
    return engine::Event::about(engine::EventKind::Policy, std::move(message)).alert();
}

// Fence agents a killed daemon left running would go on driving their BMCs while this daemon fences
// the same hosts again: they are ended before the store is resumed (which re-decides every fence).
void endAgentsOfAKilledDaemon(const std::string& owner, const DaemonEvents& report) {
    for (const auto& agent : process::endOwnedProcesses(owner, std::chrono::seconds(5))) {
        const std::string message =
            "ended " + agent.command + " (pid " + std::to_string(agent.pid) +
            "), a fence agent left running by a daemon that was killed; this daemon fences again if needed";
        report((agent.fenceHost.empty() ? engine::Event::about(engine::EventKind::Daemon, message)
                                        : engine::Event::aboutHost(agent.fenceHost, message))
                   .alert());
    }
}

// Password and key files others may read: one alert each, at start and at every reload.
void warnAboutSecretFiles(const policy::Policy& policy, const DaemonEvents& report) {
    for (const auto& warning : fence::secretFileWarnings(policy)) report(policyAlert(warning));
}

}  // namespace

int runDaemon(const std::vector<std::string>& arguments, std::ostream& out, std::ostream& err) {
    bool help = false;
    const auto options = parseOptions(arguments, out, err, help);
    if (!options) return help ? 0 : kExitUsage;
    // Signals are taken synchronously by sigwait below: block them before any thread starts, so
    // every thread inherits the mask and none is interrupted at a random point.
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&signals, signal);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto policy = loadPolicy(options->policyFile, [&err](const policy::PolicyError& problem) {
        err << "faxover daemon: " << (isWarning(problem) ? "policy: " : "policy refused: ") << problem.toString() << "\n";
    });
    if (!policy) return kExitCannotStart;
    auto endpoint = api::parseApiEndpoint(options->apiAddress);
    if (!endpoint) {
        err << "faxover daemon: --api: " << endpoint.error().message << "\n";
        return kExitUsage;
    }
    if (endpoint.value().transport == api::ApiEndpoint::Transport::Tcp && !options->insecureTcp) {
        err << "faxover daemon: --api " << options->apiAddress
            << ": the admin API over TCP has no authentication (any local process can connect and name itself "
               "in X-Faxover-User); use the unix socket, or add --insecure-tcp to accept that (docs/daemon.md)\n";
        return kExitUsage;
    }
    std::optional<api::ApiEndpoint> hookEndpoint;
    if (!options->hookAddress.empty()) {
        auto parsed = api::parseHookListenAddress(options->hookAddress);
        if (!parsed) {
            err << "faxover daemon: --hook-listen: " << parsed.error().message << "\n";
            return kExitUsage;
        }
        hookEndpoint = parsed.value();
    }
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(options->storePath).parent_path(), ignored);
    // One daemon per store, decided before anything of the store is opened, read or resumed.
    auto storeLock = store::StoreLock::acquire(options->storePath);
    if (!storeLock) {
        err << "faxover daemon: " << storeLock.error().message << "\n";
        return kExitCannotStart;
    }
    auto store = store::SqliteStore::open(options->storePath);
    if (!store) {
        err << "faxover daemon: store: " << store.error().message << "\n";
        return kExitCannotStart;
    }

    hv::LibvirtHypervisor hypervisor;
    syncHosts(hypervisor, *policy, err);
    // Its agents carry the store's path: a daemon restarted on this store finds them (below).
    const std::string owner = std::filesystem::absolute(options->storePath).lexically_normal().string();
    fence::ProcessFenceAgent fenceAgent({{process::kOwnerVariable, owner}});
    monitor::PocoTcpProber prober;
    // Two lanes: fence agents never wait behind migrations (nor migrations behind a hung agent).
    runtime::ThreadPoolExecutor executor(4);
    runtime::ThreadPoolExecutor fences(4);
    runtime::SystemWallClock wall;
    hv::SteadyClock clock;
    // Declared before the runtime, so it outlives it: the runtime's last events still reach the sinks.
    runtime::EventQueue eventQueue(runtime::EventQueue::Mode::Thread, wall);
    auto sinks = events::makeEventSinks(policy->events, out, eventQueue);
    if (!sinks) {
        err << "faxover daemon: policy: " << sinks.error().message << "\n";
        return kExitCannotStart;
    }
    eventQueue.setSinks(std::move(sinks.value()));
    const DaemonEvents report(eventQueue, wall);
    licence::ProcessLicenceSteps licenceSteps;
    telco::ProcessTelcoHooks telcoHooks;
    // The services' guest agents (docs/guest-agent.md): the monitor reads their heartbeats, the
    // runtime sends them commands. Declared before the runtime and the monitor, which use it.
    agent::GuestAgents guestAgents(hypervisor, wall, &eventQueue, policy);
    runtime::Runtime runtime({hypervisor, *store.value(), fenceAgent, executor, fences, eventQueue, clock, wall, licenceSteps, telcoHooks,
                              &guestAgents},
                             policy, options->policyFile);
    // Every address is bound (and checked) before the store is resumed: a daemon that cannot serve
    // must leave the store's open intents as they are. Connections wait in the backlog meanwhile.
    api::ApiServer server(runtime, endpoint.value());
    if (auto bound = server.bind(); !bound) {
        err << "faxover daemon: API " << options->apiAddress << ": " << bound.error().message << "\n";
        return kExitCannotStart;
    }
    // Read-only and reachable from the hosts: it answers the libvirt hook's question, nothing else.
    std::optional<api::ApiServer> hookServer;
    if (hookEndpoint) {
        hookServer.emplace(runtime, *hookEndpoint, api::ApiRole::Hook);
        if (auto bound = hookServer->bind(); !bound) {
            err << "faxover daemon: --hook-listen " << options->hookAddress << ": " << bound.error().message << "\n";
            return kExitCannotStart;
        }
    }
    endAgentsOfAKilledDaemon(owner, report);
    if (auto resumed = runtime.resume(); !resumed) {
        err << "faxover daemon: store: " << resumed.error().message << "\n";
        return kExitCannotStart;
    }
    // libvirt's event thread only queues the event for the decision loop: its keepalives never wait.
    hypervisor.setEventHandler([&runtime](const hv::HypervisorEvent& event) { runtime.onHypervisorEvent(event); });
    for (auto* listener : {&server, hookServer ? &*hookServer : nullptr}) {
        if (listener == nullptr) continue;
        if (auto started = listener->start(); !started) {
            err << "faxover daemon: " << started.error().message << "\n";
            hypervisor.setEventHandler({});
            return kExitCannotStart;
        }
    }
    report(engine::Event::about(engine::EventKind::Daemon,
                                "started: policy " + options->policyFile + ", store " + options->storePath + ", API " +
                                    server.boundEndpoint().toString() +
                                    (hookServer ? ", hook listener " + hookServer->boundEndpoint().toString() : "")));
    warnAboutSecretFiles(*policy, report);
    {
        // Its own threads: a host that hangs a reading never waits behind (or delays) an action.
        runtime::ThreadPoolExecutor readings(8);
        runtime::Monitor monitor(hypervisor, prober, &readings, &guestAgents);
        MonitorLoop loop(runtime, monitor);
        for (;;) {
            int signal = 0;
            if (sigwait(&signals, &signal) != 0) continue;
            if (signal != SIGHUP) {
                report(engine::Event::about(engine::EventKind::Daemon,
                                            std::string("stopping on ") + (signal == SIGTERM ? "SIGTERM" : "SIGINT")));
                break;
            }
            auto reloaded = loadPolicy(options->policyFile, [&report](const policy::PolicyError& problem) {
                report(engine::Event::about(engine::EventKind::Policy,
                                            (isWarning(problem) ? "" : "reload refused: ") + problem.toString())
                           .alertIf(!isWarning(problem)));
            });
            // The new policy's sinks, or none of it: a state log that cannot be opened refuses the reload.
            auto rebuilt = reloaded ? events::makeEventSinks(reloaded->events, out, eventQueue) : runtime::EventSinks{};
            if (!rebuilt) report(policyAlert("reload refused: " + rebuilt.error().message));
            if (!reloaded || !rebuilt) {
                report(policyAlert("the running policy stays in force"));
                continue;
            }
            eventQueue.setSinks(std::move(rebuilt.value()));
            syncHosts(hypervisor, *reloaded, err);
            warnAboutSecretFiles(*reloaded, report);
            guestAgents.setPolicy(reloaded);
            runtime.replacePolicy(reloaded);
        }
    }
    if (hookServer) hookServer->stop();
    server.stop();
    hypervisor.setEventHandler({});
    // The last decision finishes, the actions and fences under way come back, the loop is joined.
    runtime.stop();
    eventQueue.stop();  // what is queued reaches the sinks
    return 0;
}

}  // namespace faxover::orchestrator
