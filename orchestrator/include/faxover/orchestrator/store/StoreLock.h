#pragma once
// One daemon per store. Two daemons on one store file would each resume it (closing the other's
// open intents as abandoned) and fence alongside each other. The daemon takes this lock before it
// reads anything from the store and holds it for its life; a second daemon is refused, named by
// the holder's pid.
#include "faxover/hypervisor/Result.h"

#include <string>

namespace faxover::orchestrator::store {

class StoreLock {
public:
    // flock(LOCK_EX | LOCK_NB) on STORE.lock (created 0600), which then holds this process's pid.
    // OperationInvalid when another process holds it: "store S is in use by faxover daemon pid P
    // (lock S.lock)"; OperationFailed when the lock file cannot be made.
    static hv::Result<StoreLock> acquire(const std::string& storePath);

    StoreLock(StoreLock&& other) noexcept;
    StoreLock& operator=(StoreLock&&) = delete;
    StoreLock(const StoreLock&) = delete;
    ~StoreLock();  // releases it (so does the process's exit, kill -9 included)

    static std::string lockPathFor(const std::string& storePath) { return storePath + ".lock"; }

private:
    explicit StoreLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

}  // namespace faxover::orchestrator::store
