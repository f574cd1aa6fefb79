#include "PeerIdentity.h"

#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <vector>

namespace faxover::orchestrator::api {

namespace {

constexpr std::size_t kMaxClaimedName = 64;

bool allowedInName(char character) {
    return std::isalnum(static_cast<unsigned char>(character)) != 0 || character == '.' || character == '_' ||
           character == '-';
}

}  // namespace

std::string userNameOf(unsigned uid) {
    const long suggested = sysconf(_SC_GETPW_R_SIZE_MAX);
    std::vector<char> buffer(suggested > 0 ? static_cast<std::size_t>(suggested) : 16384);
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(static_cast<uid_t>(uid), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
        return found->pw_name;
    }
    return "uid:" + std::to_string(uid);
}

Result<std::string> unixPeerActor(int fd) {
    ucred credentials{};
    socklen_t length = sizeof credentials;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) {
        return Error{ErrorKind::Internal,
                         std::string("cannot read the caller's credentials (SO_PEERCRED): ") + std::strerror(errno)};
    }
    return "admin:" + userNameOf(credentials.uid);
}

Result<std::string> tcpClaimedActor(const std::string& claimedName) {
    if (claimedName.empty()) {
        return Error{ErrorKind::BadRequest,
                         std::string(kUserHeader) + ": missing; over TCP a command must name its user"};
    }
    if (claimedName.size() > kMaxClaimedName || !std::all_of(claimedName.begin(), claimedName.end(), allowedInName)) {
        return Error{ErrorKind::BadRequest,
                         std::string(kUserHeader) + ": a user name is 1 to 64 letters, digits, '.', '_' or '-'"};
    }
    return "tcp:admin:" + claimedName;
}

}  // namespace faxover::orchestrator::api
