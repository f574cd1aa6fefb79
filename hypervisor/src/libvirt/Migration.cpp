#include "libvirt/Migration.h"

#include "libvirt/LibvirtErrors.h"

#include <libvirt/virterror.h>

#include <chrono>
#include <future>
#include <thread>

namespace faxover::hv::libvirt {
namespace {

// virTypedParameter arrays, freed on every path.
class TypedParams {
public:
    ~TypedParams() { virTypedParamsFree(params_, count_); }
    TypedParams() = default;
    TypedParams(const TypedParams&) = delete;
    TypedParams& operator=(const TypedParams&) = delete;

    bool addString(const char* name, const std::string& value) {
        return virTypedParamsAddString(&params_, &count_, &capacity_, name, value.c_str()) == 0;
    }
    bool addULLong(const char* name, unsigned long long value) {
        return virTypedParamsAddULLong(&params_, &count_, &capacity_, name, value) == 0;
    }
    unsigned long long getULLong(const char* name) const {
        unsigned long long value = 0;
        return virTypedParamsGetULLong(params_, count_, name, &value) == 1 ? value : 0;
    }
    virTypedParameterPtr* out() { return &params_; }
    int* outCount() { return &count_; }
    virTypedParameterPtr data() const { return params_; }
    int count() const { return count_; }

private:
    virTypedParameterPtr params_ = nullptr;
    int count_ = 0;
    int capacity_ = 0;
};

// Reads the running migration job. Returns false when no job is visible (not started or finished).
bool readProgress(virDomainPtr domain, Duration elapsed, MigrationProgress& progress) {
    TypedParams stats;
    int jobType = VIR_DOMAIN_JOB_NONE;
    if (virDomainGetJobStats(domain, &jobType, stats.out(), stats.outCount(), 0) < 0) {
        virResetLastError();
        return false;
    }
    if (jobType != VIR_DOMAIN_JOB_UNBOUNDED && jobType != VIR_DOMAIN_JOB_BOUNDED) return false;
    progress.elapsed = elapsed;
    progress.dataTotal = stats.getULLong(VIR_DOMAIN_JOB_DATA_TOTAL);
    progress.dataProcessed = stats.getULLong(VIR_DOMAIN_JOB_DATA_PROCESSED);
    progress.dataRemaining = stats.getULLong(VIR_DOMAIN_JOB_DATA_REMAINING);
    progress.memoryIteration = stats.getULLong(VIR_DOMAIN_JOB_MEMORY_ITERATION);
    return true;
}

unsigned int migrationFlags(const MigrationOptions& options) {
    unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE;
    if (options.autoConverge) flags |= VIR_MIGRATE_AUTO_CONVERGE;
    if (options.allowPostCopy) flags |= VIR_MIGRATE_POSTCOPY;
    return flags;
}

}  // namespace

Result<MigrationResult> migrateLive(const MigrationEndpoints& endpoints, virDomainPtr domain,
                                    const MigrationOptions& options, const ProgressCallback& progress) {
    const std::string& sourceName = endpoints.sourceHost.name;
    const std::string what = std::string("migrate ") + virDomainGetName(domain) + " to " + endpoints.destinationHost.name;

    TypedParams params;
    // Hosts often share a hostname in labs and clones; name the destination's migration address.
    if (!endpoints.destinationHost.migrationAddress.empty() &&
        !params.addString(VIR_MIGRATE_PARAM_URI, "tcp://" + endpoints.destinationHost.migrationAddress)) {
        return lastLibvirtError(sourceName, what);
    }
    if (options.bandwidthMiBps && !params.addULLong(VIR_MIGRATE_PARAM_BANDWIDTH, *options.bandwidthMiBps)) {
        return lastLibvirtError(sourceName, what);
    }
    if (options.maxDowntime &&
        virDomainMigrateSetMaxDowntime(domain, static_cast<unsigned long long>(options.maxDowntime->count()), 0) < 0) {
        return lastLibvirtError(sourceName, "set maximum downtime for " + what);
    }

    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
    };
    // virDomainMigrate3 blocks until the end; it runs on a worker so that this thread can report
    // progress (and the caller can abort from its callback). libvirt errors are thread-local, so
    // the worker captures its own.
    struct Outcome {
        DomainHandle migrated;
        Error error;
    };
    auto done = std::async(std::launch::async, [&]() -> Outcome {
        virDomainPtr migrated = virDomainMigrate3(domain, endpoints.destination, params.data(),
                                                  static_cast<unsigned int>(params.count()), migrationFlags(options));
        if (migrated == nullptr) return Outcome{nullptr, lastLibvirtError(sourceName, what)};
        return Outcome{DomainHandle(migrated), {}};
    });

    bool postCopyRequested = false;
    MigrationProgress latest;
    while (done.wait_for(options.progressInterval) != std::future_status::ready) {
        if (options.allowPostCopy && options.switchToPostCopyAfter && !postCopyRequested &&
            elapsed() >= *options.switchToPostCopyAfter) {
            postCopyRequested = virDomainMigrateStartPostCopy(domain, 0) == 0;
            virResetLastError();
        }
        if (readProgress(domain, elapsed(), latest)) {
            latest.postCopy = postCopyRequested;
            if (progress) progress(latest);
        }
    }
    Outcome outcome = done.get();
    if (!outcome.migrated) return outcome.error;

    MigrationResult result;
    result.totalTime = elapsed();
    result.postCopyUsed = postCopyRequested;
    // The destination keeps the completed job's statistics, including QEMU's measured downtime.
    TypedParams completed;
    int jobType = VIR_DOMAIN_JOB_NONE;
    if (virDomainGetJobStats(outcome.migrated.get(), &jobType, completed.out(), completed.outCount(),
                             VIR_DOMAIN_JOB_STATS_COMPLETED) == 0) {
        unsigned long long downtime = 0;
        if (virTypedParamsGetULLong(completed.data(), completed.count(), VIR_DOMAIN_JOB_DOWNTIME, &downtime) == 1) {
            result.downtime = Duration(downtime);
        }
        result.dataTransferred = completed.getULLong(VIR_DOMAIN_JOB_DATA_PROCESSED);
    }
    virResetLastError();
    return result;
}

}  // namespace faxover::hv::libvirt
