#pragma once
// Shared pieces of the [api] tests: a scripted AdminApi and a sample status.
#include "TempDir.h"
#include "faxover/orchestrator/api/AdminApi.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace faxover::orchestrator::api::test {

using namespace std::chrono_literals;

// 2024-05-01T12:00:00.000Z
inline WallTime sampleNow() { return WallTime{std::chrono::seconds{1714564800}}; }

inline ClusterStatus sampleStatus() {
    ClusterStatus status;
    status.policyFile = "/etc/faxover/policy.yaml";
    // fax-a's agent answers and its fax service is up; fax-b's agent went silent 40 s ago.
    const FaxView answering{"answering", "up", "healthy",
                            {{"hylafax.faxq", true, "pid 15089"}, {"hylafax.hfaxd", true, "answers on 4559"}},
                            {2, 0, 1}, false, "hylafax 6.0.7", "0.3.0", "licensed", sampleNow() - 2s};
    const FaxView silent{"heartbeats-lost", "unknown", "no heartbeat for 40 s (timeout 15 s)", {}, {}, false,
                         "hylafax 6.0.7", "0.3.0", "licensed", sampleNow() - 40s};
    status.services.push_back(
        {"fax-a", "ok", "lab1", "sr140", sampleNow() - 192s, "heartbeat and fax health ok", "", std::nullopt, "",
         "started", answering});
    status.services.push_back({"fax-b", "migrating", "lab1", "board", sampleNow() - 4s - 250ms,
                               "maintenance on lab1", "lab2", 0.45, "", "started", silent});
    status.hosts.push_back({"lab1", "ok", "reachable", true, "", sampleNow() - 3720s, "admin drains it"});
    status.hosts.push_back({"lab2", "suspect", "unreachable", false, "pending", sampleNow() - 7s, "no keepalive"});
    return status;
}

inline std::vector<LicenceView> sampleLicences() {
    return {
        {"sr140-pool", "sr140", 2,
         {{"fax-a", "", "lab1", sampleNow() - 192s, true}, {"fax-s", "fax-b", "lab3", sampleNow() - 4s, false}}},
        {"board-1", "board", 1, {}},
    };
}

inline std::vector<LicenceAuditEntry> sampleAudit() {
    return {
        {1, sampleNow() - 3600s, "grant", "sr140-pool", "fax-a", "", "lab1", "", "daemon", "fax-a started on lab1"},
        {2, sampleNow() - 60s + 250ms, "transfer", "sr140-pool", "fax-s", "fax-b", "lab3", "lab2", "admin:root",
         "failover of fax-b, \"standby\" promoted,\nseat moved"},
        {3, sampleNow() - 4s, "refuse", "", "", "", "lab2", "", "libvirt-hook:lab2@198.18.0.12",
         "fax-b runs on lab3: no second copy"},
    };
}

// Every board state `faxover boards` shows, a usable board first.
inline std::vector<BoardView> sampleBoards() {
    return {
        {"lab1", "0000:03:00.0", "TR1034", 0x10b5, 0x9050, "pstn-a", "vfio-pci", "fax-b", "in-use", ""},
        {"lab2", "0000:04:00.0", "TR1034", 0x10b5, 0x9050, "pstn-a", "vfio-pci", "", "free", ""},
        {"lab2", "0000:05:00.0", "TR1034", 0, 0, "pstn-a", "", "", "missing",
         "the policy maps it but lab2's PCI inventory has no device at 0000:05:00.0"},
        {"lab3", "0000:06:00.0", "", 0x8086, 0x1533, "", "igb", "", "unmapped", "no boards entry of the policy names it"},
    };
}

// A dry run of `maintenance enable lab1`: one live migration, a measured cold move and one never measured.
inline std::vector<PlannedMove> samplePlan() {
    return {
        {"fax-a", "live-migrate", "lab1", "lab2", "", "", "maintenance on lab1", std::nullopt, ""},
        {"fax-b", "cold-move", "lab1", "lab2", "0000:03:00.0", "0000:04:00.0", "maintenance on lab1",
         std::chrono::milliseconds(38'000), "last cold move took 38 s"},
        {"fax-c", "cold-move", "lab1", "lab3", "0000:07:00.0", "0000:06:00.0", "maintenance on lab1", std::nullopt,
         "no cold move measured yet; shutdown waits up to 2 min"},
    };
}

// Answers status() with `statuses` in turn (the last one again and again), execute() with
// `reply`, the licence calls with their fields, or with the errors when set. Records every
// command, audit `since` and start query. Thread-safe: the server calls it
// from its workers.
class FakeAdminApi : public AdminApi {
public:
    Result<ClusterStatus> status() override {
        std::lock_guard lock(mutex_);
        ++statusCalls_;
        if (statusError) return *statusError;
        if (statuses.empty()) return sampleStatus();
        const ClusterStatus next = statuses.front();
        if (statuses.size() > 1) statuses.erase(statuses.begin());
        return next;
    }

    Result<CommandReply> execute(const engine::AdminCommand& command) override {
        std::this_thread::sleep_for(executeDelay);
        std::lock_guard lock(mutex_);
        received_.push_back(command);
        if (executeError) return *executeError;
        return reply;
    }

    Result<std::vector<LicenceView>> licences() override {
        if (licencesError) return *licencesError;
        return licenceList;
    }

    Result<std::vector<LicenceAuditEntry>> licenceAudit(std::optional<WallTime> since) override {
        std::lock_guard lock(mutex_);
        auditSinces_.push_back(since);
        if (auditError) return *auditError;
        return auditEntries;
    }

    Result<StartPermission> mayStart(const StartQuery& query) override {
        std::lock_guard lock(mutex_);
        startQueries_.push_back(query);
        if (mayStartError) return *mayStartError;
        return permission;
    }

    Result<HostEventReply> hostEvent(const HostEvent& event) override {
        std::lock_guard lock(mutex_);
        hostEvents_.push_back(event);
        return HostEventReply{event.host + ": noted"};
    }

    std::vector<HostEvent> hostEvents() const {
        std::lock_guard lock(mutex_);
        return hostEvents_;
    }

    Result<std::vector<BoardView>> boards() override {
        if (boardsError) return *boardsError;
        return boardList;
    }

    // Plans like a daemon of issue #5 unless `plans` is false: then AdminApi's own answer
    // (NotSupported), as from an implementor that does not offer plans.
    Result<std::vector<PlannedMove>> plan(const engine::AdminCommand& command) override {
        if (!plans) return AdminApi::plan(command);
        std::lock_guard lock(mutex_);
        planned_.push_back(command);
        if (planError) return *planError;
        return planMoves;
    }

    std::vector<engine::AdminCommand> planned() const {
        std::lock_guard lock(mutex_);
        return planned_;
    }

    std::vector<std::optional<WallTime>> auditSinces() const {
        std::lock_guard lock(mutex_);
        return auditSinces_;
    }
    std::vector<StartQuery> startQueries() const {
        std::lock_guard lock(mutex_);
        return startQueries_;
    }

    std::vector<engine::AdminCommand> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    int statusCalls() const {
        std::lock_guard lock(mutex_);
        return statusCalls_;
    }

    std::vector<ClusterStatus> statuses{};
    std::optional<Error> statusError{};
    std::optional<Error> executeError{};
    CommandReply reply{"fax-a: live migration lab1 -> lab2 planned"};
    std::chrono::milliseconds executeDelay{0};
    std::vector<LicenceView> licenceList = sampleLicences();
    std::vector<LicenceAuditEntry> auditEntries = sampleAudit();
    StartPermission permission{false, "fax-b runs on lab3: no second copy", {"fax-a", "fax-b", "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"}};
    std::optional<Error> licencesError{};
    std::optional<Error> auditError{};
    std::optional<Error> mayStartError{};
    std::vector<BoardView> boardList = sampleBoards();
    std::optional<Error> boardsError{};
    bool plans = true;
    std::vector<PlannedMove> planMoves{};  // none by default: commands go ahead without a question
    std::optional<Error> planError{};

private:
    mutable std::mutex mutex_;
    std::vector<engine::AdminCommand> received_{};
    int statusCalls_ = 0;
    std::vector<std::optional<WallTime>> auditSinces_{};
    std::vector<StartQuery> startQueries_{};
    std::vector<HostEvent> hostEvents_{};
    std::vector<engine::AdminCommand> planned_{};
};

using faxover::test::TempDir;

// The message of the BadRequest error `result` must hold.
template <class Result>
std::string refusal(const Result& result) {
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == faxover::orchestrator::ErrorKind::BadRequest);
    return result.error().message;
}

}  // namespace faxover::orchestrator::api::test
