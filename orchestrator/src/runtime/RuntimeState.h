#pragma once
// The runtime's state and the helpers its files share (Runtime.cpp: observations and decisions;
// Actions.cpp: carrying actions out; Fencing.cpp: the fence executor; Persistence.cpp: the store;
// Status.cpp: the AdminApi). Everything here belongs to the decision loop's thread (`loop`) unless
// it says otherwise: other threads post to the loop, never touch the state themselves.
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/HostHealth.h"
#include "faxover/orchestrator/engine/OwnConnectivity.h"
#include "faxover/orchestrator/runtime/DecisionLoop.h"
#include "faxover/orchestrator/runtime/HookRefusalAudit.h"
#include "faxover/orchestrator/runtime/Runtime.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::runtime {

struct ActionContext;  // ActionSteps.h

// A fence of one host under way: which level, which attempt, when the next may run.
struct FenceJob {
    store::IntentId intent = 0;
    std::size_t level = 0;
    int attempt = 0;  // failed attempts of `level` so far
    int passes = 0;   // times every level failed
    hv::TimePoint notBefore{};
    bool running = false;
    bool announcedManual = false;
    bool announcedHeld = false;  // held while the orchestrator's own connectivity is not confirmed
};

struct HostEntry {
    explicit HostEntry(const policy::HostPolicy& host)
        : profile(host.monitoring), tracker(host.name, host.monitoring) { observation.name = host.name; }
    policy::MonitoringProfile profile;
    engine::HostHealthTracker tracker;
    engine::HostObservation observation{};
    bool adminMaintenance = false;  // persisted; windows add to it
    std::string window{};           // the maintenance window open now, "" when none
    WallTime healthSince{};
    std::string healthReason{};
    store::Revision revision = 0;
    std::optional<FenceJob> fence{};
    bool silentSincePlanned = false;  // it fell silent after announcing a planned shutdown: its return ends it
};

struct ServiceEntry {
    engine::ServiceObservation observation{};
    engine::ServiceMemory memory{};
    bool remembered = false;  // memory came from the store or a decision
    store::Revision revision = 0;
    std::string definitionXml{};  // last definition read from a host, to define it elsewhere
    std::string uuid{};           // of its domain, once seen: the libvirt hook asks by UUID
    std::optional<double> progress{};
};

// Store records from engine values and back (Persistence.cpp).
store::ServiceRecord toRecord(const engine::ServiceMemory& memory, const std::string& definitionXml);
engine::ServiceMemory fromRecord(const store::ServiceRecord& record);
store::Intent toIntent(const engine::Action& action, WallTime now);


struct Runtime::State {
    State(RuntimePorts p, std::shared_ptr<const policy::Policy> pol, std::string file, FenceRetry r, DecisionLoop::Mode mode)
        : ports(p), policy(std::move(pol)), policyFile(std::move(file)), retry(r), loop(mode) {}

    RuntimePorts ports;
    std::shared_ptr<const policy::Policy> policy;
    std::string policyFile;
    FenceRetry retry;
    std::map<std::string, HostEntry> hosts;
    std::map<std::string, ServiceEntry> services;
    // The orchestrator's own connectivity as of the last round (engine/OwnConnectivity.h): while it
    // is not confirmed, no host fails and no fence starts.
    bool witnessAnswered = false;
    engine::OwnConnectivity connectivity{};
    std::map<store::IntentId, engine::Action> inFlight;
    engine::Ledger ledger;  // the store's licence ledger, as last committed
    engine::BoardLedger boards;  // the store's board reservations, as last committed
    std::vector<engine::FinishedAction> finished;

    // ---- any thread
    mutable std::mutex policyMutex;
    std::shared_ptr<const policy::Policy> publishedPolicy;  // `policy`, for Runtime::policy()
    std::mutex workMutex;
    std::condition_variable workDone;
    int workRunning = 0;  // submitted work not yet back: stop() waits for it
    std::atomic<bool> stopping{false};  // stop() began: nothing new is decided or started
    std::atomic<int> killed{0};  // 0 alive, else 1 + Runtime::KillPoint (killForTest)
    bool skipsSteps() const { return killed.load() == 1 + static_cast<int>(KillPoint::BeforeSteps); }
    bool isKilled() const { return killed.load() != 0; }
    bool ignoresInput() const { return isKilled() || stopping.load(); }
    void workStarted();
    // Ends a piece of executor work (on its thread): `report` is queued for the loop, which runs it
    // unless the daemon was "killed" meanwhile.
    void workEnded(std::function<void()> report = {});
    // Queues an observation or a timer for the loop; dropped once stopping or killed.
    void enqueue(std::function<void()> work);
    // As enqueue(), but false when the decision queue is full (DecisionLoop::offer): for readings.
    bool offer(std::function<void()> work);
    std::function<void()> unlessIgnoringInput(std::function<void()> work);
    std::atomic<std::uint64_t> droppedRounds{0};  // monitor readings the full queue turned away, not yet reported
    // How long an API handler waits for the loop's answer (Runtime::setAnswerBound).
    std::atomic<std::chrono::milliseconds::rep> answerBoundMs{Runtime::kAnswerBound.count()};
    std::string describeAnswerBound() const;  // "8 s", "300 ms"
    // An API handler's question: asked on the loop, answered within the bound or an error.
    template <class T>
    Result<T> ask(std::function<Result<T>()> question, std::function<void()> onAbandoned = {});
    // Executor work's read of the state: done on the loop, which answers it even while stopping.
    template <class T>
    hv::Result<T> readState(std::function<hv::Result<T>()> read) {
        auto answer = loop.call(std::move(read), DecisionLoop::kNoBound);
        if (answer.value) return std::move(*answer.value);
        return hv::Error{hv::ErrorKind::OperationFailed, "the daemon stopped before this could run"};
    }

    DecisionLoop loop;  // last: it stops (and drops what it holds) before the rest goes

    // ---- Runtime.cpp
    void adoptPolicy();
    // An admin command's audit row, written in the transaction of the decision it led to.
    struct CommandAudit {
        std::string actor, subject, verb;
    };
    // Decides, stores the decision (with `audit`'s row for the first verdict), then dispatches. When
    // the store refuses, nothing runs and every verdict is a refusal that says so. Only the loop's
    // thread calls it: the one caller of decide() and of the store's commit for decisions.
    std::vector<engine::CommandVerdict> reconcile(const std::vector<engine::AdminCommand>& commands = {},
                                                  const CommandAudit* audit = nullptr);
    void applyMaintenanceWindows();
    void noteHostAnswered(HostEntry& host);
    void forgetCopiesOn(const std::string& host);  // what `host` was last known to run
    // To the event sinks, stamped with the wall clock (docs/daemon.md, "Events").
    void report(engine::Event event);
    void reportStoreFailure(const std::string& what, const std::string& error);  // an alert
    void observe(const RoundObservation& round);
    // Counts each host's silent rounds, then judges the orchestrator's own connectivity from them
    // and alerts when that judgement changes.
    void assessConnectivity(const RoundObservation& round);
    void observe(const hv::HypervisorEvent& event);
    void onTick();
    // ---- PlannedShutdowns.cpp: a host's hook announcing it goes down on purpose (docs/engine.md)
    Result<api::HostEventReply> hostEvent(const api::HostEvent& event);
    // A host that fell silent after its announcement and answers again is back: the plan ends.
    void endPlanWhenBack(HostEntry& host);
    HostEventRefusalAudit hostEventRefusals;  // bounds what refused reports write (any caller may send one)
    void writeDueHostEventRefusals();

    // ---- Status.cpp, Licences.cpp, Boards.cpp: the AdminApi's answers, on the loop
    Result<api::CommandReply> execute(const engine::AdminCommand& command);
    Result<api::ClusterStatus> status() const;
    Result<std::vector<api::PlannedMove>> plan(const engine::AdminCommand& command);
    Result<api::StartPermission> mayStart(const api::StartQuery& query);
    Result<std::vector<api::LicenceView>> licences() const;
    Result<std::vector<api::BoardView>> boardViews() const;
    Result<std::vector<api::LicenceAuditEntry>> licenceAudit(std::optional<WallTime> since);

    // ---- Actions.cpp
    void dispatch(store::IntentId intent, const engine::Action& action);
    hv::Result<std::string> carryOut(const engine::Action& action, const ActionContext& context);
    void finish(store::IntentId intent, const engine::Action& action, bool succeeded, std::string message);

    // ---- GuestAgentSteps.cpp: commands to the guest agent, on the executor
    hv::Result<std::string> restartFaxService(const engine::Action& action, const ActionContext& context);
    // Before and after a planned move's step; their outcome is an event, never the move's.
    void quiesceBefore(const engine::Action& action, const ActionContext& context);
    void resumeAfter(const engine::Action& action, const ActionContext& context, bool moved);

    // ---- Fencing.cpp
    void startFence(store::IntentId intent, const std::string& host);
    void pumpFences();
    void fenceAttemptDone(const std::string& host, hv::Result<std::string> result);
    void cancelFence(HostEntry& host, const std::string& why);
    // Records the fence (the intent's outcome, the host's state, an audit row: one transaction), then
    // takes it. An admin's confirmation the store cannot record is refused (its error); the daemon's
    // own evidence is taken anyway, with an alert: the host is off whatever the store says.
    hv::Result<void> confirmFence(HostEntry& host, const std::string& evidence, const std::string& actor);

    // ---- Licences.cpp
    // Adds the ledger changes of a decision that led from `before` to `after` to `batch`.
    void addLedgerWrites(store::Batch& batch, const engine::Ledger& before, const engine::Ledger& after,
                         const std::vector<engine::LedgerChange>& changes, WallTime now) const;
    hv::Result<std::string> runLicenceStep(const engine::Action& action);
    // The hook's answer, and the protected service it concerns (nullptr: the domain is not one).
    struct StartVerdict {
        api::StartPermission permission{};
        const policy::ServicePolicy* service = nullptr;
    };
    StartVerdict permitStart(const api::StartQuery& query) const;
    HookRefusalAudit hookRefusals;  // bounds what refusals write (unauthenticated callers)
    void writeHookRefusal(const store::LicenceAuditRecord& row);
    void writeDueHookRefusals();

    // ---- Boards.cpp (runtime side of docs/boards.md)
    void addBoardWrites(store::Batch& batch, const engine::BoardLedger& before, const engine::BoardLedger& after,
                        WallTime now) const;
    hv::Result<std::string> runTelcoHook(const engine::Action& action);
    // After a board move succeeded: the definition and what the engine reads from it name the new board.
    void noteBoardMoved(ServiceEntry& service, const engine::Action& action);
    void noteDefinition(ServiceEntry& service, std::string xml);  // definitionXml and its PCI hostdevs
    engine::EngineInput decisionInput(const std::vector<engine::AdminCommand>& commands);
    // A cold move's expected outage, from the journal's last cold move of the service.
    void estimateOutage(api::PlannedMove& move) const;

    // ---- Persistence.cpp
    hv::Result<void> load();
    // Stores the host's persisted state as given, with `also` in the same transaction (an audit row,
    // an outcome): all of it or nothing. The entry's revision follows; its other fields do not change.
    hv::Result<void> storeHost(HostEntry& host, bool maintenance, bool fenceConfirmed, store::Batch also = {});
    void saveHost(HostEntry& host);  // storeHost as the entry is, an alert when the store refuses
    store::AppendAudit auditRow(const std::string& actor, const std::string& subject, const std::string& action,
                                const std::string& reason, const std::string& details = "") const;
    void audit(const std::string& actor, const std::string& subject, const std::string& action,
               const std::string& reason, const std::string& details = "");
    void writeAudit(const store::AuditRecord& row);
    void recordOutcome(store::IntentId intent, store::OutcomeStatus status, const std::string& message);
};

template <class T>
Result<T> Runtime::State::ask(std::function<Result<T>()> question, std::function<void()> onAbandoned) {
    if (stopping.load()) return Error{ErrorKind::DaemonUnreachable, "the daemon is stopping"};
    if (loop.full())
        return Error{ErrorKind::Busy, "the decision queue is full (" + std::to_string(loop.capacity()) +
                                          " waiting: the daemon is not keeping up, a slow store?), so nothing was "
                                          "done; try again"};
    auto answer = loop.call(std::move(question), std::chrono::milliseconds(answerBoundMs.load()), std::move(onAbandoned));
    if (answer.value) return std::move(*answer.value);
    const std::string bound = describeAnswerBound();
    if (loop.stopped()) return Error{ErrorKind::DaemonUnreachable, "the daemon is stopping"};
    if (!answer.started)
        return Error{ErrorKind::Busy, "the daemon's decision thread was busy for " + bound +
                                          " (a slow store?) and did not take this request, so nothing was done; try again"};
    return Error{ErrorKind::Busy, "the daemon's decision thread took this request but did not answer within " + bound +
                                      " (a slow store?); it may still take effect: see 'faxover status' and the audit log"};
}

}  // namespace faxover::orchestrator::runtime
