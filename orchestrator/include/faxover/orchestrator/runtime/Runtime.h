#pragma once
// The runtime carries the engine's decisions out; it never decides itself (docs/engine.md: the
// engine is pure). It folds observations in (probe rounds from the Monitor, hypervisor events,
// action outcomes, admin commands), asks engine::decide() what to do, writes each action to the
// store as an intent before it runs and its outcome after (docs/invariants.md, invariant 3), and
// runs it through its ports. It is the AdminApi the local API serves.
//
// Threads (docs/daemon.md, "What runs"): one decision loop (DecisionLoop.h) owns the state and is
// the only caller of decide() and of the store's commit. Every other entry point queues its input
// for that loop and returns at once; the AdminApi calls wait for the loop's answer, at most
// 8 s. Blocking work runs on two executors: fences on their own, everything else on the other.
#include "faxover/hypervisor/Hypervisor.h"
#include "faxover/orchestrator/api/AdminApi.h"
#include "faxover/orchestrator/engine/Decision.h"
#include "faxover/orchestrator/engine/HostHealth.h"
#include "faxover/orchestrator/ports/EventSink.h"
#include "faxover/orchestrator/ports/FenceAgent.h"
#include "faxover/orchestrator/ports/GuestAgentCommands.h"
#include "faxover/orchestrator/ports/GuestHealthProbe.h"
#include "faxover/orchestrator/ports/LicenceSteps.h"
#include "faxover/orchestrator/ports/Store.h"
#include "faxover/orchestrator/ports/TelcoHooks.h"
#include "faxover/orchestrator/runtime/DecisionLoop.h"
#include "faxover/orchestrator/runtime/StandardPorts.h"
#include "faxover/policies/Policy.h"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace faxover::orchestrator::runtime {

struct RuntimePorts {
    hv::Hypervisor& hypervisor;
    store::Store& store;
    ports::FenceAgent& fenceAgent;
    Executor& executor;       // starts, migrations, cold moves, licence steps, telco hooks
    Executor& fenceExecutor;  // fence attempts only: a long migration never delays a fence
    ports::EventSink& events;  // the EventQueue in the daemon (EventQueue.h)
    const hv::Clock& clock;  // steady time: fence backoff
    const WallClock& wall;   // wall time: store, audit, "since"
    ports::LicenceSteps& licenceSteps;
    ports::TelcoHooks& telcoHooks;
    // Commands to the guest agents (restart the fax service, quiesce, resume); none: the daemon
    // runs without an agent link and skips those steps.
    ports::GuestAgentCommands* guestAgents = nullptr;
};

// What one monitoring round saw of one host (the Monitor gathers it on its own threads; the round
// goes to the decision loop as a value).
struct HostRound {
    std::string host{};
    engine::ProbeRound probe{};
    std::optional<std::vector<hv::DomainInfo>> domains{};  // set when libvirt answered the listing
    std::optional<hv::NodeInventory> inventory{};
    // Its PCI devices that may be fax boards (a configured model, or an address the policy maps);
    // read every round only when the policy has boards.
    std::optional<std::vector<engine::ObservedBoard>> boards{};
};

// Details of a protected service's running domain, read by the Monitor when they may have changed
// (Monitor.h, DetailsRead).
struct DomainDetails {
    std::string service{};
    std::string host{};
    std::string xml{};                   // its definition, kept to define it elsewhere
    std::string liveMigrationBlocker{};  // Migratability::explain(), "" when it can migrate
    std::string uuid{};                  // of the domain these details were read from
    hv::DomainState state{};             // its state when they were read
};

// What the guest health hook said this round about a running protected domain.
struct GuestReport {
    std::string service{};
    engine::GuestHealth health{};
};

struct RoundObservation {
    std::vector<HostRound> hosts{};
    bool witnessAnswered = false;  // the policy's fencing.witness answered TCP (false when it names none)
    std::vector<DomainDetails> details{};
    std::vector<GuestReport> guests{};
};

// How the fence executor paces retries: after every level failed `attempts` times, wait
// firstBackoff, doubling up to maxBackoff, and start over (issue #3: "retries with backoff; it
// never proceeds blind").
struct FenceRetry {
    hv::Duration betweenAttempts{1000};
    hv::Duration firstBackoff{2000};
    hv::Duration maxBackoff{60000};
};

class Runtime final : public api::AdminApi {
public:
    // Mode::Thread: the loop has a thread of its own (the daemon). Mode::Manual: whoever drives the
    // runtime runs the loop with drain() (the scenario simulator: deterministic).
    Runtime(RuntimePorts ports, std::shared_ptr<const policy::Policy> policy, std::string policyFile,
            FenceRetry fenceRetry = {}, DecisionLoop::Mode mode = DecisionLoop::Mode::Thread);
    ~Runtime() override;  // stop()

    // Stops deciding: input is ignored from now on, the executors' work under way comes back (its
    // outcomes are recorded), then the loop stops and is joined. Nothing runs after it returns.
    // Not from the loop's thread.
    void stop();
    // How long the AdminApi calls wait for the decision loop: under the API's 10 s request deadline.
    static constexpr std::chrono::milliseconds kAnswerBound{8000};
    void setAnswerBound(std::chrono::milliseconds bound);  // tests
    // Returns once everything queued before it has been taken (Manual mode: runs it on the caller's
    // thread, and what that queues, until nothing is left).
    void drain();

    // Loads what the store remembers (service states, maintenance, confirmed fences) and closes
    // the intents a killed daemon left open, keeping their targets as hosts that may run the VM.
    hv::Result<void> resume();

    // A new policy (SIGHUP), queued for the loop. Hosts and services that left it are forgotten; trackers of hosts
    // that stay keep their counts.
    void replacePolicy(std::shared_ptr<const policy::Policy> policy);
    std::shared_ptr<const policy::Policy> policy() const;

    // These queue their input for the decision loop and return at once (libvirt's event thread
    // only enqueues: its keepalives never wait for a decision or a commit).
    void observeRound(RoundObservation round);
    void onHypervisorEvent(const hv::HypervisorEvent& event);
    // Retries fencing whose backoff ran out; called by the monitor loop between rounds too.
    void tick();

    // ---- api::AdminApi
    Result<api::ClusterStatus> status() override;
    Result<api::CommandReply> execute(const engine::AdminCommand& command) override;
    Result<std::vector<api::LicenceView>> licences() override;
    Result<std::vector<api::LicenceAuditEntry>> licenceAudit(std::optional<WallTime> since) override;
    Result<api::StartPermission> mayStart(const api::StartQuery& query) override;
    Result<std::vector<api::BoardView>> boards() override;
    Result<std::vector<api::PlannedMove>> plan(const engine::AdminCommand& command) override;
    Result<api::HostEventReply> hostEvent(const api::HostEvent& event) override;

    // Scenario tests simulate `kill -9` of the daemon: from now on nothing this object started
    // reports back. BeforeSteps: work not yet begun never touches a host; AfterSteps: it does its
    // hypervisor steps, but its outcome is lost with the process. Lock-free: callable from a store
    // spy while the runtime decides.
    enum class KillPoint { BeforeSteps, AfterSteps };
    void killForTest(KillPoint point);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace faxover::orchestrator::runtime
