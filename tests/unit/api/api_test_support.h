#pragma once
// Shared pieces of the [api] tests: a scripted AdminApi and a sample status.
#include "TempDir.h"
#include "faxover/orchestrator/api/AdminApi.h"

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
    status.services.push_back(
        {"fax-a", "ok", "lab1", "sr140", sampleNow() - 192s, "heartbeat and fax health ok", "", std::nullopt});
    status.services.push_back({"fax-b", "migrating", "lab1", "board", sampleNow() - 4s - 250ms,
                               "maintenance on lab1", "lab2", 0.45});
    status.hosts.push_back({"lab1", "ok", "reachable", true, "", sampleNow() - 3720s, "admin drains it"});
    status.hosts.push_back({"lab2", "suspect", "unreachable", false, "pending", sampleNow() - 7s, "no keepalive"});
    return status;
}

// Answers status() with `statuses` in turn (the last one again and again) and execute() with
// `reply`, or with the errors when set. Records every command. Thread-safe: the server calls it
// from its workers.
class FakeAdminApi : public AdminApi {
public:
    hv::Result<ClusterStatus> status() override {
        std::lock_guard lock(mutex_);
        ++statusCalls_;
        if (statusError) return *statusError;
        if (statuses.empty()) return sampleStatus();
        const ClusterStatus next = statuses.front();
        if (statuses.size() > 1) statuses.erase(statuses.begin());
        return next;
    }

    hv::Result<CommandReply> execute(const AdminCommand& command) override {
        std::this_thread::sleep_for(executeDelay);
        std::lock_guard lock(mutex_);
        received_.push_back(command);
        if (executeError) return *executeError;
        return reply;
    }

    std::vector<AdminCommand> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }
    int statusCalls() const {
        std::lock_guard lock(mutex_);
        return statusCalls_;
    }

    std::vector<ClusterStatus> statuses{};
    std::optional<hv::Error> statusError{};
    std::optional<hv::Error> executeError{};
    CommandReply reply{"fax-a: live migration lab1 -> lab2 planned"};
    std::chrono::milliseconds executeDelay{0};

private:
    mutable std::mutex mutex_;
    std::vector<AdminCommand> received_{};
    int statusCalls_ = 0;
};

using faxover::test::TempDir;

}  // namespace faxover::orchestrator::api::test
