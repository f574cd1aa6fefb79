#include "Scenario.h"

#include "BoardLines.h"
#include "Cluster.h"
#include "SimGuestAgents.h"
#include "SimPorts.h"
#include "StoreSpy.h"

#include "faxover/hypervisor/sim/SimulatedHypervisor.h"
#include "faxover/orchestrator/runtime/EventQueue.h"
#include "faxover/orchestrator/runtime/Monitor.h"
#include "faxover/orchestrator/runtime/Runtime.h"
#include "faxover/orchestrator/store/SqliteStore.h"
#include "faxover/policies/PolicyLoader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <set>
#include <sstream>

namespace faxover::scenario {

namespace {

namespace fs = std::filesystem;
using orchestrator::runtime::Runtime;

// 2026-01-05 00:00:00 UTC, a Monday: weekly maintenance windows read naturally from there.
constexpr std::chrono::sys_seconds kWallStart{std::chrono::seconds(1767571200)};

class Replay {
public:
    Replay(std::string directory, const ReplayHooks& hooks)
        : dir_(std::move(directory)), hooks_(hooks), hypervisor_(clock_) {}

    ScenarioResult run() {
        if (setUp()) runCommands();
        if (runtime_) writeStatus("end");
        return {log_.str(), violations_, steps_, checks_};
    }

private:
    bool setUp() {
        auto loaded = policy::loadPolicyFile(dir_ + "/policy.yaml");
        if (!loaded) {
            for (const auto& error : loaded.errors) violations_.push_back(error.toString());
            return false;
        }
        policy_ = std::make_shared<const policy::Policy>(std::move(*loaded.policy));
        auto cluster = buildCluster(dir_ + "/cluster.yaml", *policy_, hypervisor_);
        if (!cluster) {
            violations_.push_back(cluster.error().message);
            return false;
        }
        cluster_ = std::move(cluster.value());
        prober_ = std::make_unique<SimTcpProber>(faults_, cluster_.hostOfProbeAddress);
        fenceAgent_ = std::make_unique<SimFenceAgent>(hypervisor_, faults_);
        const fs::path storeBase = hooks_.storeDirectory.empty() ? fs::temp_directory_path() : hooks_.storeDirectory;
        storeDir_ = storeBase / ("faxover-scenario-" + std::to_string(::getpid()) + "-" +
                                 fs::path(dir_).filename().string());
        fs::remove_all(storeDir_);
        fs::create_directories(storeDir_);
        auto store = orchestrator::store::SqliteStore::open((storeDir_ / "faxover.db").string());
        if (!store) {
            violations_.push_back(store.error().message);
            return false;
        }
        sqlite_ = std::move(store.value());
        store_ = std::make_unique<StoreSpy>(*sqlite_);
        hypervisor_.setEventHandler([this](const hv::HypervisorEvent& event) {
            // A fresh boot starts the guest's fax service anew; a live migration's arrival does not.
            if (const auto* domain = std::get_if<hv::DomainEvent>(&event);
                domain != nullptr && domain->lifecycle == hv::DomainLifecycle::Started && domain->detailText != "migrated")
                guestAgents_.booted(domain->domainName);
            if (runtime_) runtime_->onHypervisorEvent(event);
        });
        return startDaemon();
    }

    bool startDaemon() {
        // One executor for both lanes: the work runs in the order it was started, as it always did.
        orchestrator::runtime::RuntimePorts ports{hypervisor_, *store_, *fenceAgent_, executor_, executor_, events_,
                                                  clock_, wall_, licenceSteps_, telcoHooks_, &guestAgents_};
        runtime_ = std::make_unique<Runtime>(ports, policy_, "policy.yaml", orchestrator::runtime::FenceRetry{},
                                             orchestrator::runtime::DecisionLoop::Mode::Manual);
        monitor_ = std::make_unique<orchestrator::runtime::Monitor>(hypervisor_, *prober_, nullptr, &guestAgents_);
        store_->onIntent([this](const orchestrator::store::Intent& intent) {
            if (!killArmed_ || intent.action != killAtAction_) return;
            killArmed_ = false;
            runtime_->killForTest(killPoint_);
            killedAt_ = intent.action + " " + (intent.service.empty() ? intent.targetHost : intent.service + " on " + intent.targetHost);
        });
        if (auto resumed = runtime_->resume(); !resumed) {
            violations_.push_back("daemon resume failed: " + resumed.error().message);
            return false;
        }
        return true;
    }

    void killDaemon(const std::string& why) {
        runtime_->killForTest(Runtime::KillPoint::BeforeSteps);
        executor_.runAll();
        runtime_.reset();
        monitor_.reset();
        line("daemon killed (kill -9)" + why);
    }

    // What the daemon's decision loop has queued (events, outcomes), run to the end on this thread.
    void decide() {
        if (runtime_) runtime_->drain();
    }

    // Runs the actions the daemon started, each followed by what it queued for the decision loop
    // (its outcome, the events it caused); if an armed kill went off meanwhile, the daemon dies.
    void runWork() {
        decide();
        while (executor_.runOne()) decide();
        if (killedAt_.empty() || !runtime_) return;
        const std::string what = std::exchange(killedAt_, "");
        killDaemon(" while it carried out " + what +
                   (killPoint_ == Runtime::KillPoint::BeforeSteps ? " (before its first step)"
                                                                   : " (after its steps, before its outcome)"));
    }

    void runCommands() {
        std::ifstream file(dir_ + "/commands");
        if (!file && !hooks_.nextCommand) {
            violations_.push_back(dir_ + "/commands: cannot read");
            return;
        }
        std::string text;
        for (int number = 1; nextCommand(file, text); ++number) {
            std::istringstream words(text);
            std::vector<std::string> args;
            for (std::string word; words >> word && word.front() != '#';) args.push_back(word);
            if (args.empty()) continue;
            where_ = dir_ + "/commands:" + std::to_string(number);
            if (args.front() != "run") line("> " + text.substr(text.find_first_not_of(' ')));
            bool carriedOn = false;
            try {
                carriedOn = command(args);
                decide();  // the events the command caused, as a daemon takes them at once
            } catch (const std::exception& error) {  // std::stoi / std::stod on a non-number
                carriedOn = fail("bad number in '" + text + "': " + error.what());
            }
            if (!carriedOn) return;
            checkInvariants();
            if (!violations_.empty()) return;
        }
    }

    // A driving program's next command, or the commands file's next line.
    bool nextCommand(std::ifstream& file, std::string& text) {
        if (!hooks_.nextCommand) return static_cast<bool>(std::getline(file, text));
        auto next = hooks_.nextCommand(ReplayView{hypervisor_, *policy_, faults_, runtime_.get()});
        if (next) text = std::move(*next);
        return next.has_value();
    }

    bool fail(const std::string& message) {
        violations_.push_back(where_ + ": " + message);
        return false;
    }

    bool checked(const hv::Result<void>& result) { return result ? true : fail(result.error().message); }

    // The simulated guest agents' commands (tests/scenarios/README.md); whether it was one.
    bool guestAgentCommand(const std::vector<std::string>& args) {
        const std::string& verb = args.front();
        if (args.size() == 2) {
            const std::string& domain = args[1];
            if (verb == "guest-agent") guestAgents_.install(domain);
            else if (verb == "fax-down" || verb == "fax-up") guestAgents_.setFaxUp(domain, verb == "fax-up");
            else if (verb == "heartbeats-lost" || verb == "heartbeats-back")
                guestAgents_.setHeartbeats(domain, verb == "heartbeats-back");
            else if (verb == "fax-restart-fails") guestAgents_.failRestarts(std::stoi(args[1]));
            else if (verb == "quiesce-fails") guestAgents_.failQuiesces(std::stoi(args[1]));
            else return false;
            return true;
        }
        if (verb == "fax-broken-on" && args.size() == 3) {
            guestAgents_.breakOn(args[1], args[2]);
            return true;
        }
        return false;
    }

    bool command(const std::vector<std::string>& args) {
        const std::string& verb = args.front();
        auto need = [&](std::size_t count) { return args.size() == count + 1; };
        auto number = [&](const std::string& text) { return std::stoi(text); };
        if (verb == "run" && need(1)) return runFor(std::chrono::milliseconds(static_cast<long>(std::stod(args[1]) * 1000)));
        if (verb == "power-off" && need(1)) {
            faults_.poweredOff.insert(args[1]);
            return checked(hypervisor_.powerOff(args[1]));
        }
        if (verb == "power-on" && need(1)) {
            faults_.poweredOff.erase(args[1]);
            faults_.libvirtdDown.erase(args[1]);  // a boot starts libvirtd
            return checked(hypervisor_.powerOn(args[1]));
        }
        if (verb == "cut" && need(1)) {
            faults_.cut.insert(args[1]);
            return checked(hypervisor_.cutNetwork(args[1]));
        }
        if (verb == "heal" && need(1)) {
            faults_.cut.erase(args[1]);
            return checked(hypervisor_.healNetwork(args[1]));
        }
        if ((verb == "orchestrator-link-down" || verb == "orchestrator-link-up") && need(0)) {
            faults_.setOrchestratorCut(verb == "orchestrator-link-down");
            hypervisor_.setOrchestratorLink(!faults_.orchestratorCut);
            return true;
        }
        if ((verb == "witness-down" || verb == "witness-up") && need(0)) {
            faults_.witnessDown = verb == "witness-down";
            return true;
        }
        if (verb == "block-probe" && need(1)) {
            faults_.probeBlocked.insert(args[1]);
            return true;
        }
        if (verb == "unblock-probe" && need(1)) {
            faults_.probeBlocked.erase(args[1]);
            return true;
        }
        if (verb == "crash-libvirtd" && need(1)) {
            if (!faults_.poweredOff.contains(args[1])) faults_.libvirtdDown.insert(args[1]);
            return checked(hypervisor_.crashLibvirtd(args[1]));
        }
        if (verb == "restart-libvirtd" && need(1)) {
            faults_.libvirtdDown.erase(args[1]);
            return checked(hypervisor_.restartLibvirtd(args[1]));
        }
        if (verb == "crash-vm" && need(2)) {
            auto crashed = hypervisor_.crashDomain(args[1], args[2]);
            runWork();
            return checked(crashed);
        }
        if (verb == "fail-starts" && need(2)) return checked(hypervisor_.failNextStarts(args[1], number(args[2])));
        if (verb == "fail-migrations" && need(1)) {
            hypervisor_.failNextMigrations(number(args[1]));
            return true;
        }
        if (verb == "migration-takes" && need(1)) {
            hypervisor_.setMigrationDuration(std::chrono::milliseconds(static_cast<long>(std::stod(args[1]) * 1000)));
            return true;
        }
        if (verb == "licence-step-fails" && need(1)) {
            licenceSteps_.failNext(number(args[1]));
            return true;
        }
        if (guestAgentCommand(args)) return true;
        if (verb == "telco-hook-fails" && need(1)) {
            telcoHooks_.failNext(number(args[1]));
            return true;
        }
        if (verb == "fence-fails" && need(2)) {
            fenceAgent_->failNext(args[1], number(args[2]));
            return true;
        }
        if (verb == "ignore-shutdown" && need(1)) return checked(hypervisor_.setGuestIgnoresShutdown(args[1], true));
        if (verb == "kill-daemon-at" && need(2) && (args[2] == "before" || args[2] == "after")) {
            killArmed_ = true;
            killAtAction_ = args[1];
            killPoint_ = args[2] == "before" ? Runtime::KillPoint::BeforeSteps : Runtime::KillPoint::AfterSteps;
            return true;
        }
        if (verb == "kill-daemon" && need(0)) {
            if (!runtime_) return fail("the daemon is not running");
            killDaemon("");
            return true;
        }
        if (verb == "start-daemon" && need(0)) {
            if (runtime_) return fail("the daemon is already running");
            return startDaemon();
        }
        if (verb == "reload" && need(1)) return reload(args[1]);
        if (verb == "settled" && need(0)) {
            settled_ = true;
            return true;
        }
        if (verb == "fax-status" && need(0)) {
            if (runtime_) writeFaxStatus();
            return true;
        }
        if (verb == "status" && need(0)) {
            if (runtime_) writeStatus("status");
            return true;
        }
        if (verb == "admin" && args.size() >= 2) return admin({args.begin() + 1, args.end()});
        if (verb == "breach-expected" && need(0)) {
            // The scenario starts with more licensed instances running than seats (started by hand):
            // count seats held, not instances running.
            breachExpected_ = true;
            return true;
        }
        if (verb == "hook" && need(2)) {
            // The libvirt hook of HOST asks whether it may start DOMAIN (an admin's `virsh start`).
            if (!runtime_) return fail("the daemon is not running");
            auto answer = runtime_->mayStart({args[1], "", args[2], "libvirt-hook:" + args[1]});
            if (!answer) return fail(answer.error().message);
            line(std::string("hook ") + args[1] + " " + args[2] + ": " + (answer.value().allowed ? "allowed: " : "refused: ") +
                 answer.value().reason);
            return true;
        }
        if (verb == "hook-uuid" && need(2)) {
            // As `hook`, but the hook names the domain by UUID only (as written: case is kept).
            if (!runtime_) return fail("the daemon is not running");
            auto answer = runtime_->mayStart({args[1], args[2], "", "libvirt-hook:" + args[1]});
            if (!answer) return fail(answer.error().message);
            line(std::string("hook ") + args[1] + " " + args[2] + ": " + (answer.value().allowed ? "allowed: " : "refused: ") +
                 answer.value().reason);
            return true;
        }
        if (verb == "guest-shutdown" && need(2)) {
            // HOST shuts DOMAIN down cleanly, as libvirt-guests does on a host going down.
            auto stopped = hypervisor_.shutdownDomain(args[1], args[2], std::chrono::seconds(0));
            runWork();
            return checked(stopped);
        }
        if (verb == "host-event" && (need(2) || need(3))) return hostEvent(args);
        if (verb == "store-full" && need(1)) {
            if (args[1] != "on" && args[1] != "off") return fail("store-full takes on or off");
            store_->setFull(args[1] == "on");
            return true;
        }
        if (verb == "audit" && need(0)) return auditLines();
        if (verb == "hook-flood" && need(3)) return hookFlood(args[1], args[2], args[3]);
        if (verb == "host-event-flood" && need(3)) return hostEventFlood(args[1], args[2], args[3]);
        return fail("unknown or malformed command '" + verb + "' (see tests/scenarios/README.md)");
    }

    // `host-event HOST shutdown|reboot|back [DOMAIN]`: HOST's libvirt hook reports a planned
    // shutdown or reboot (a domain of it ended), or that it is back; the daemon's answer goes to the log.
    bool hostEvent(const std::vector<std::string>& args) {
        if (!runtime_) return fail("the daemon is not running");
        const auto kind = orchestrator::api::hostEventKindNamed(args[2]);
        if (!kind) return fail("host-event takes shutdown, reboot or back; found '" + args[2] + "'");
        const std::string domain = args.size() > 3 ? args[3] : "";
        auto answer = runtime_->hostEvent({args[1], *kind, domain, "libvirt-hook:" + args[1]});
        line("host-event " + args[1] + " " + args[2] + (domain.empty() ? "" : " " + domain) + ": " +
             (answer ? answer.value().message : "refused: " + answer.error().message));
        return true;
    }

    // COUNT may-start queries at once for DOMAIN from HOST, where '#' in HOST becomes the query's
    // number (made-up hosts): an unauthenticated caller's flood. Says what it added to the audit.
    bool hookFlood(const std::string& countText, const std::string& hostPattern, const std::string& domain) {
        if (!runtime_) return fail("the daemon is not running");
        const int count = std::stoi(countText);
        const auto auditRows = [&] { return runtime_->licenceAudit(std::nullopt).value().size(); };
        const std::size_t before = auditRows();
        int refused = 0;
        for (int i = 0; i < count; ++i) {
            std::string host = hostPattern;
            if (const auto hash = host.find('#'); hash != std::string::npos) host.replace(hash, 1, std::to_string(i));
            auto answer = runtime_->mayStart({host, "", domain, "libvirt-hook:" + host});
            if (!answer) return fail(answer.error().message);
            refused += answer.value().allowed ? 0 : 1;
        }
        line("hook-flood " + countText + " x " + hostPattern + " " + domain + ": " + std::to_string(refused) +
             " refused, licence audit +" + std::to_string(auditRows() - before) + " rows");
        return true;
    }

    // COUNT host events (`shutdown`) for HOST sent from PEER, an address that is not the host's: a
    // forger's flood. Says how many were refused and what it added to the audit log.
    bool hostEventFlood(const std::string& countText, const std::string& host, const std::string& peer) {
        if (!runtime_) return fail("the daemon is not running");
        const auto auditRows = [&] { return store_->audit({}, std::numeric_limits<std::size_t>::max()).value().size(); };
        const std::size_t before = auditRows();
        int refused = 0;
        for (int i = 0; i < std::stoi(countText); ++i) {
            auto answer = runtime_->hostEvent(
                {host, orchestrator::api::HostEventKind::Shutdown, "", "libvirt-hook:" + host + "@" + peer, peer});
            refused += answer ? 0 : 1;
        }
        line("host-event-flood " + countText + " x " + host + " from " + peer + ": " + std::to_string(refused) +
             " refused, audit +" + std::to_string(auditRows() - before) + " rows");
        return true;
    }

    // The audit log's rows written since the last `audit` (times left out: the log has them).
    bool auditLines() {
        auto rows = store_->audit({}, std::numeric_limits<std::size_t>::max());
        if (!rows) return fail(rows.error().message);
        for (std::size_t i = auditShown_; i < rows.value().size(); ++i) {
            const auto& row = rows.value()[i];
            line("audit: " + row.actor + " " + row.subject + " " + row.action + ": " + row.reason +
                 (row.details.empty() ? "" : " (" + row.details + ")"));
        }
        auditShown_ = rows.value().size();
        return true;
    }

    bool runFor(std::chrono::milliseconds duration) {
        const auto step = policy_->monitoring.interval;
        for (auto elapsed = std::chrono::milliseconds(0); elapsed < duration; elapsed += step) {
            clock_.advance(step);
            if (runtime_) {
                runtime_->observeRound(monitor_->collect(runtime_->policy()));
                runWork();
                if (runtime_) runtime_->tick();
                runWork();
                boardSightings_.afterRound(hypervisor_);
                if (settled_) ++roundsSinceSettled_;
            }
            checkInvariants();
            if (!violations_.empty()) return false;
        }
        return true;
    }

    bool reload(const std::string& file) {
        auto loaded = policy::loadPolicyFile(dir_ + "/" + file);
        if (!loaded) {
            for (const auto& error : loaded.errors)
                line("reload refused: " + error.toString().substr(error.toString().find(file)));
            return true;
        }
        policy_ = std::make_shared<const policy::Policy>(std::move(*loaded.policy));
        if (runtime_) runtime_->replacePolicy(policy_);
        runWork();
        return true;
    }

    bool admin(const std::vector<std::string>& args) {
        if (!runtime_) return fail("the daemon is not running");
        orchestrator::engine::AdminCommand command;
        command.actor = "admin:scenario";
        const std::string& verb = args[0];
        if (verb == "maintenance" && args.size() == 3) {
            command.verb = args[1] == "enable" ? orchestrator::engine::Verb::MaintenanceEnable
                                               : orchestrator::engine::Verb::MaintenanceDisable;
            command.host = args[2];
        } else if (verb == "fence-confirm" && args.size() == 2) {
            command.verb = orchestrator::engine::Verb::FenceConfirm;
            command.host = args[1];
        } else if (auto named = orchestrator::engine::verbNamed(verb); named && args.size() >= 2 && args.size() <= 3) {
            command.verb = *named;
            command.service = args[1];
            if (args.size() == 3) command.host = args[2];
        } else {
            return fail("malformed admin command");
        }
        auto reply = runtime_->execute(command);
        line(reply ? "accepted: " + reply.value().message : "refused: " + reply.error().message);
        runWork();
        return true;
    }

    void checkInvariants() {
        checkLicences();
        checkBoards();
        for (const auto& violation : fenceAgent_->takeIsolationViolations()) {
            line(violation);
            violations_.push_back(where_ + ": " + violation);
        }
        for (const auto& service : policy_->services) {
            const auto running = hypervisor_.hostsRunningForTest(service.domain.value);
            if (running.size() <= 1) continue;
            std::string hosts;
            for (const auto& host : running) hosts += " " + host;
            const std::string violation = "INVARIANT VIOLATED: " + service.name + " runs on" + hosts;
            line(violation);
            violations_.push_back(where_ + ": " + violation);
        }
    }

    // Seats and ledger against reality (Invariants.h); counts steps and checks for the fuzzer.
    void checkLicences() {
        ++steps_;
        checks_ += policy_->services.size();  // the copies checked below
        auto ledger = store_->seats();
        if (!ledger) {
            violations_.push_back(where_ + ": reading the ledger: " + ledger.error().message);
            return;
        }
        InvariantOptions options = hooks_.invariants;
        // Started with more licensed instances running than seats (by hand): count seats held only.
        if (breachExpected_) options.seatsInUse = false;
        const auto check = checkLicenceInvariants(hypervisor_, *policy_, ledger.value(), settled_, options);
        checks_ += check.checks;
        for (const auto& violation : check.violations) {
            line(violation);
            violations_.push_back(where_ + ": " + violation);
        }
    }

    // Invariant 4 against the store's board reservations (Invariants.h).
    void checkBoards() {
        auto reservations = store_->boardReservations();
        if (!reservations) {
            violations_.push_back(where_ + ": reading the board reservations: " + reservations.error().message);
            return;
        }
        const auto check = checkBoardInvariants(hypervisor_, *policy_, reservations.value(), boardSightings_,
                                                roundsSinceSettled_ >= kRoundsToSettleBoards);
        checks_ += check.checks;
        for (const auto& violation : check.violations) {
            line(violation);
            violations_.push_back(where_ + ": " + violation);
        }
    }

    void writeBoards(const std::string& label) {
        auto reservations = store_->boardReservations();
        if (!reservations) return;
        for (const auto& board : boardLines(hypervisor_, reservations.value())) line(label + ": " + board);
    }

    void writeLedger(const std::string& label) {
        auto licences = runtime_->licences();
        if (!licences) return;
        for (const auto& licence : licences.value()) {
            std::string holders;
            for (const auto& holder : licence.holders)
                holders += " " + holder.service + (holder.onBehalfOf.empty() ? "" : "(for " + holder.onBehalfOf + ")") +
                           "@" + holder.host + (holder.applied ? "" : "(not applied)");
            line(label + ": licence " + licence.id + " " + std::to_string(licence.holders.size()) + "/" +
                 std::to_string(licence.seats) + (holders.empty() ? " free" : ":" + holders));
        }
    }

    void writeStatus(const std::string& label) {
        auto status = runtime_->status();
        if (!status) return;
        for (const auto& service : status.value().services) {
            const auto running = hypervisor_.hostsRunningForTest(policy_->findService(service.name)->domain.value);
            std::string truth = running.empty() ? "nowhere" : running.front();
            // The requested state only when an admin asked for the VM to be off.
            const std::string requested = service.requested == "started" ? "" : ", requested " + service.requested;
            line(label + ": service " + service.name + " " + service.state + " on " +
                 (service.host.empty() ? "-" : service.host) + " (runs on " + truth + ")" + requested);
        }
        for (const auto& host : status.value().hosts)
            line(label + ": host " + host.name + " " + host.health + ", libvirt " + host.libvirt +
                 (host.maintenance ? ", maintenance" : "") + (host.fence.empty() ? "" : ", fence " + host.fence) +
                 (host.planned.empty() ? "" : ", " + host.planned));
        writeBoards(label);
        writeLedger(label);
    }

    // The fax health `faxover status` shows (api::FaxView), one line per service that has it. Its
    // own command, not part of `status`, so the scenarios written before it keep their logs.
    void writeFaxStatus() {
        auto status = runtime_->status();
        if (!status) return;
        const auto at = [this](const std::optional<orchestrator::runtime::WallTime>& time) {
            std::string text = time ? timestamp(*time) : "never";
            return text.erase(0, text.find_first_not_of(' '));
        };
        for (const auto& service : status.value().services) {
            if (!service.fax) continue;
            const auto& fax = *service.fax;
            std::string checks;
            for (const auto& check : fax.checks)
                checks += (checks.empty() ? "" : ", ") + check.name + (check.ok ? " ok" : " failing");
            line("fax-status: service " + service.name + " agent " + fax.agent + ", fax " + fax.service +
                 (fax.detail.empty() ? "" : " (" + fax.detail + ")") + "; checks " + (checks.empty() ? "-" : checks) +
                 "; queues " + std::to_string(fax.queues.outbound) + " out, " + std::to_string(fax.queues.inbound) +
                 " in, " + std::to_string(fax.queues.active) + " active" + (fax.quiesced ? ", quiesced" : "") +
                 "; last heartbeat " + at(fax.lastHeartbeat) +
                 "; steps " + std::to_string(fax.serviceRestarts) + " service, " + std::to_string(fax.vmRestarts) +
                 " VM, " + std::to_string(fax.relocations) + " relocations" +
                 (fax.nextStep ? ", next not before " + at(fax.nextStep) : "") +
                 (fax.exhausted ? ", exhausted" : ""));
        }
    }

    // Seconds since the scenario began: the steady clock's for the runner's own lines, the wall's
    // (which follows it) for the events.
    std::string timestamp() const { return secondsSinceStart(clock_.now() - start_); }
    std::string timestamp(orchestrator::runtime::WallTime time) const { return secondsSinceStart(time - kWallStart); }

    template <class Duration>
    static std::string secondsSinceStart(Duration elapsed) {
        const double seconds = std::chrono::duration<double>(elapsed).count();
        char text[32];
        std::snprintf(text, sizeof text, "%8.3f", seconds);
        return text;
    }

    void line(const std::string& text) { log_ << timestamp() << ' ' << text << '\n'; }

    std::string dir_;
    const ReplayHooks& hooks_;
    std::string where_;
    hv::ManualClock clock_;
    hv::TimePoint start_ = clock_.now();
    orchestrator::runtime::ManualWallClock wall_{clock_, kWallStart};
    hv::sim::SimulatedHypervisor hypervisor_;
    std::shared_ptr<const policy::Policy> policy_;
    Cluster cluster_;
    HostFaults faults_;
    std::unique_ptr<SimTcpProber> prober_;
    std::unique_ptr<SimFenceAgent> fenceAgent_;
    SimLicenceSteps licenceSteps_;
    SimTelcoHooks telcoHooks_;
    SimGuestAgents guestAgents_{hypervisor_, wall_};
    fs::path storeDir_;
    std::unique_ptr<orchestrator::store::SqliteStore> sqlite_;
    std::unique_ptr<StoreSpy> store_;
    std::size_t auditShown_ = 0;
    orchestrator::runtime::QueuedExecutor executor_;
    std::ostringstream log_;
    // The daemon's event queue, in its synchronous mode: each event is in the log when deliver() returns.
    orchestrator::runtime::EventQueue events_{
        orchestrator::runtime::EventQueue::Mode::Synchronous, wall_,
        {std::make_shared<orchestrator::runtime::StateLogSink>(
            log_, [this](orchestrator::runtime::WallTime time) { return timestamp(time); })}};
    std::unique_ptr<Runtime> runtime_;
    std::unique_ptr<orchestrator::runtime::Monitor> monitor_;
    std::vector<std::string> violations_;
    bool killArmed_ = false;
    bool breachExpected_ = false;
    std::string killAtAction_;
    Runtime::KillPoint killPoint_ = Runtime::KillPoint::BeforeSteps;
    std::string killedAt_;
    bool settled_ = false;  // the `settled` command: the ledger must equal reality from now on
    // Board reservations follow reality a little later than the ledger: a board is released back
    // to its host driver once the daemon has seen its host answer again, which may have powered
    // on just before `settled`. Four rounds are enough for that, and short of the 30 s retry of
    // a failed reattach, which the fuzzer does not inject.
    static constexpr int kRoundsToSettleBoards = 4;
    int roundsSinceSettled_ = 0;
    BoardSightings boardSightings_;  // boards in use the daemon has had a round to see (Invariants.h)
    std::size_t steps_ = 0;
    std::size_t checks_ = 0;

public:
    ~Replay() {
        if (runtime_) runtime_->killForTest(Runtime::KillPoint::BeforeSteps);
        executor_.runAll();
        runtime_.reset();
        store_.reset();
        sqlite_.reset();
        std::error_code ignored;
        fs::remove_all(storeDir_, ignored);
    }
};

}  // namespace

ScenarioResult runScenario(const std::string& directory, const ReplayHooks& hooks) {
    return Replay(directory, hooks).run();
}

}  // namespace faxover::scenario
