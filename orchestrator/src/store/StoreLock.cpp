#include "faxover/orchestrator/store/StoreLock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace faxover::orchestrator::store {
namespace {

// The pid the holder wrote into the lock file, or "unknown".
std::string holderOf(int fd) {
    char text[32] = {};
    const ssize_t length = ::pread(fd, text, sizeof text - 1, 0);
    std::string pid(text, length > 0 ? static_cast<std::size_t>(length) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.empty() ? "unknown" : pid;
}

}  // namespace

hv::Result<StoreLock> StoreLock::acquire(const std::string& storePath) {
    const std::string path = lockPathFor(storePath);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return hv::Error{hv::ErrorKind::OperationFailed, "cannot create the store's lock " + path + ": " + std::strerror(errno)};
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int why = errno;
        const std::string holder = holderOf(fd);
        ::close(fd);
        if (why == EWOULDBLOCK) {
            return hv::Error{hv::ErrorKind::OperationInvalid, "store " + storePath + " is in use by faxover daemon pid " +
                                                                  holder + " (lock " + path + ")"};
        }
        return hv::Error{hv::ErrorKind::OperationFailed, "cannot lock " + path + ": " + std::strerror(why)};
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        return hv::Error{hv::ErrorKind::OperationFailed, "cannot write " + path + ": " + why};
    }
    return StoreLock(fd);
}

StoreLock::StoreLock(StoreLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StoreLock::~StoreLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace faxover::orchestrator::store
