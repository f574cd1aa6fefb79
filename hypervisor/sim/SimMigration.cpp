// SimulatedHypervisor's live migration: checks as libvirt makes them, then simulated time in
// progress steps, each followed by the caller's progress callback. The callback may call back in
// (abort, fault knobs, anything), so after each step the migration looks everything up again by
// name and fails cleanly if its hosts or its domain are no longer what they were.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"

#include "SimState.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

namespace faxover::hv::sim {

using detail::Domain;
using detail::Host;

namespace {

constexpr Duration kDowntime{50};  // what the simulated QEMU measures at switch-over
constexpr std::uint64_t kMaxBytes = std::numeric_limits<std::uint64_t>::max();

class Migration {
public:
    Migration(detail::SimState& state, std::string source, std::string destination, const MigrationOptions& options,
              const ProgressCallback& progress)
        : state_(state),
          source_(std::move(source)),
          destination_(std::move(destination)),
          options_(options),
          progress_(progress) {}

    Result<MigrationResult> run(const std::string& domain);

private:
    Result<void> checkBefore(const std::string& domain);
    Result<void> checkDestination(const Host& destination, const Domain& migrating) const;
    Result<void> checkAfterCallback();
    Duration duration() const;
    MigrationProgress progressAt(Duration elapsed, Duration total, bool postCopy) const;
    Result<MigrationResult> runSteps();
    MigrationResult commit(Duration total, bool postCopy);
    Error failure(ErrorKind kind, const std::string& why, const std::string& host) const {
        return Error{kind, "migration of domain '" + name_ + "' to host '" + destination_ + "' " + why, host};
    }

    detail::SimState& state_;
    const std::string source_;
    const std::string destination_;
    const MigrationOptions& options_;
    const ProgressCallback& progress_;
    std::string name_;
    std::string uuid_;
    std::uint64_t dataTotal_ = detail::kDefaultMigrationData;
    bool injectFailure_ = false;
};

Result<void> Migration::checkBefore(const std::string& domain) {
    auto source = state_.knownHost(source_);
    if (!source) return source.error();
    auto destination = state_.knownHost(destination_);
    if (!destination) return destination.error();
    if (source_ == destination_) {
        return Error{ErrorKind::OperationInvalid, "cannot migrate a domain to the same host '" + source_ + "'",
                     source_};
    }
    if (auto reachable = state_.reachableHost(source_); !reachable) return reachable.error();
    if (auto reachable = state_.reachableHost(destination_); !reachable) return reachable.error();
    auto found = detail::findDomain(*source.value(), domain);
    if (!found) return found.error();
    const Domain& migrating = *found.value();
    name_ = migrating.name;
    uuid_ = migrating.uuid;
    if (!migrating.active()) return failure(ErrorKind::MigrationRefused, "refused: domain is not running", source_);
    if (state_.migrations.count({source_, uuid_}) > 0) {
        return failure(ErrorKind::OperationInvalid, "refused: the domain is already migrating", source_);
    }
    const Migratability migratability =
        assessMigratability(migrating.live->xml, migrating.state(), state_.sharedStoragePrefixes);
    if (!migratability.possible()) {
        return Error{ErrorKind::MigrationRefused, "domain '" + name_ + "': " + migratability.explain(), source_};
    }
    // Pre-copy sends the guest's RAM once (the simulated guest dirties no pages).
    const std::uint64_t memoryKiB = std::min(migrating.live->memoryKiB, kMaxBytes / 1024);
    if (memoryKiB > 0) dataTotal_ = memoryKiB * 1024;
    return checkDestination(*destination.value(), migrating);
}

// The destination takes the domain unless it already runs it, or knows its name or UUID only
// with another partner (libvirt's virDomainObjListAdd rules). An inactive copy with the same
// name and UUID, the usual standby definition, is replaced.
Result<void> Migration::checkDestination(const Host& destination, const Domain& migrating) const {
    for (const auto& [name, domain] : destination.domains) {
        if (domain.uuid == uuid_ && name == name_ && domain.active()) {
            return failure(ErrorKind::OperationInvalid, "refused: it is already active there", destination_);
        }
        if (domain.uuid == uuid_ && name != name_) {
            return failure(ErrorKind::OperationFailed,
                           "failed: domain '" + name + "' is already defined there with uuid " + uuid_, destination_);
        }
        if (domain.uuid != uuid_ && name == name_) {
            return failure(ErrorKind::OperationFailed,
                           "failed: domain '" + name + "' already exists there with uuid " + domain.uuid, destination_);
        }
    }
    // The destination's QEMU allocates the guest's RAM before the first page arrives.
    return detail::checkFreeMemory(destination, *migrating.live, "migration of domain '" + name_ + "' failed");
}

// After a progress callback: anything may have happened in it.
Result<void> Migration::checkAfterCallback() {
    Host* source = state_.hostOrNull(source_);
    if (source == nullptr) return failure(ErrorKind::OperationFailed, "failed: the source host was removed", source_);
    if (!source->reachable()) {
        // The connection to the source is gone; so is the migration stream. Whether the domain
        // still runs there is for the caller to find out.
        return failure(ErrorKind::HostUnreachable, "lost: source host is unreachable: " + source->status.reason,
                       source_);
    }
    Host* destination = state_.hostOrNull(destination_);
    if (destination == nullptr || !destination->reachable()) {
        return failure(ErrorKind::OperationFailed, "failed: the destination host became unreachable", destination_);
    }
    auto found = detail::findDomain(*source, uuid_);
    if (!found || !found.value()->active()) {
        return failure(ErrorKind::OperationFailed, "failed: the domain stopped on the source", source_);
    }
    return checkDestination(*destination, *found.value());
}

// The configured duration, or the time the data takes at the bandwidth limit if that is longer.
Duration Migration::duration() const {
    Duration total = state_.migrationDuration;
    if (options_.bandwidthMiBps && *options_.bandwidthMiBps > 0) {
        const long double bytesPerMs = static_cast<long double>(*options_.bandwidthMiBps) * 1024 * 1024 / 1000;
        const auto transfer = static_cast<Duration::rep>(static_cast<long double>(dataTotal_) / bytesPerMs + 0.999L);
        total = std::max(total, Duration(transfer));
    }
    return total;
}

MigrationProgress Migration::progressAt(Duration elapsed, Duration total, bool postCopy) const {
    MigrationProgress progress;
    progress.elapsed = elapsed;
    progress.dataTotal = dataTotal_;
    progress.dataProcessed =
        elapsed >= total
            ? dataTotal_
            : static_cast<std::uint64_t>(static_cast<long double>(dataTotal_) * elapsed.count() / total.count());
    progress.dataRemaining = dataTotal_ - progress.dataProcessed;
    progress.memoryIteration = 1;
    progress.postCopy = postCopy;
    return progress;
}

Result<MigrationResult> Migration::runSteps() {
    const Duration total = duration();
    const Duration interval =
        options_.progressInterval > Duration::zero() ? options_.progressInterval : MigrationOptions{}.progressInterval;
    Duration elapsed{0};
    bool postCopy = false;
    while (true) {
        const Duration step = std::min(interval, total - elapsed);
        state_.clock.advance(step);
        elapsed += step;
        if (options_.allowPostCopy && options_.switchToPostCopyAfter && elapsed >= *options_.switchToPostCopyAfter &&
            elapsed < total) {
            postCopy = true;
            state_.migrations[{source_, uuid_}].postCopy = true;
        }
        if (progress_) progress_(progressAt(elapsed, total, postCopy));
        if (auto still = checkAfterCallback(); !still) return still.error();
        if (state_.migrations[{source_, uuid_}].abortRequested) {
            return failure(ErrorKind::Aborted, "aborted on request; the domain runs on at the source", source_);
        }
        // Injected failures are pre-copy failures, even after a switch to post-copy (where a real
        // failure would leave the domain paused on both hosts; not simulated).
        if (injectFailure_ && elapsed * 2 >= total) {
            return failure(ErrorKind::OperationFailed, "failed: " + state_.migrationFailureMessage, source_);
        }
        if (elapsed >= total) return commit(total, postCopy);
    }
}

// The domain now runs on the destination, persistent there, and is gone from the source.
MigrationResult Migration::commit(Duration total, bool postCopy) {
    Host& source = *state_.hostOrNull(source_);  // both checked by checkAfterCallback
    Host& destination = *state_.hostOrNull(destination_);
    Domain& leaving = *detail::findDomain(source, uuid_).value();
    const std::string leavingName = leaving.name;

    Domain& arriving = destination.domains[name_];
    arriving.name = name_;
    arriving.uuid = uuid_;
    // libvirt persists the source's persistent definition on the destination, or the live one
    // for a transient domain; an inactive standby definition there is replaced.
    arriving.config = leaving.persistent() ? leaving.config : leaving.live;
    detail::markRunning(destination, arriving, leaving.live, detail::reason::kRunningMigrated);

    // libvirt also reports Suspended on the source and Resumed and Defined on the destination
    // around the switch-over; the simulation keeps the three events the orchestrator acts on.
    state_.emitDomain(destination, arriving, DomainLifecycle::Started, detail::event::kStartedMigrated);
    state_.emitDomain(source, leaving, DomainLifecycle::Stopped, detail::event::kStoppedMigrated);
    if (leaving.persistent()) state_.emitDomain(source, leaving, DomainLifecycle::Undefined, detail::event::kRemoved);
    source.domains.erase(leavingName);

    MigrationResult result;
    result.totalTime = total;
    result.downtime = std::clamp(options_.maxDowntime.value_or(kDowntime), Duration::zero(), kDowntime);
    result.dataTransferred = dataTotal_;
    result.postCopyUsed = postCopy;
    return result;
}

Result<MigrationResult> Migration::run(const std::string& domain) {
    if (auto checked = checkBefore(domain); !checked) return checked.error();
    if (state_.migrationFailures > 0) {
        --state_.migrationFailures;
        injectFailure_ = true;
    }
    // The job is visible to abortMigration while it runs, and removed however the run ends (a
    // progress callback may throw, e.g. a failed test assertion).
    const std::pair<std::string, std::string> key{source_, uuid_};
    state_.migrations[key] = {};
    struct EndJob {
        detail::SimState& state;
        const std::pair<std::string, std::string>& key;
        ~EndJob() { state.migrations.erase(key); }
    } endJob{state_, key};
    return runSteps();
}

}  // namespace

Result<Migratability> SimulatedHypervisor::checkMigratable(const std::string& host, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(host);
    if (!target) return target.error();
    auto found = detail::findDomain(*target.value(), domain);
    if (!found) return found.error();
    return assessMigratability(found.value()->current().xml, found.value()->state(), state_->sharedStoragePrefixes);
}

Result<MigrationResult> SimulatedHypervisor::migrateLive(const std::string& source, const std::string& destination,
                                                         const std::string& domain, const MigrationOptions& options,
                                                         const ProgressCallback& progress) {
    const std::lock_guard lock(state_->mutex);
    auto result = Migration(*state_, source, destination, options, progress).run(domain);
    state_->flush();
    return result;
}

Result<void> SimulatedHypervisor::abortMigration(const std::string& source, const std::string& domain) {
    const std::lock_guard lock(state_->mutex);
    auto target = state_->reachableHost(source);
    if (!target) return target.error();
    auto found = detail::findDomain(*target.value(), domain);
    if (!found) return found.error();
    const auto job = state_->migrations.find({source, found.value()->uuid});
    if (job == state_->migrations.end()) {
        return Error{ErrorKind::OperationInvalid,
                     "no migration job is active for domain '" + found.value()->name + "' on host '" + source + "'",
                     source};
    }
    if (job->second.postCopy) {
        return Error{ErrorKind::OperationInvalid,
                     "cannot abort the migration of domain '" + found.value()->name + "' in post-copy mode", source};
    }
    job->second.abortRequested = true;
    return ok();
}

}  // namespace faxover::hv::sim
