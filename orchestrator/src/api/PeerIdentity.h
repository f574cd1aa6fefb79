#pragma once
// Who is on the other end of an API connection, as the `actor` of the commands it sends.
#include "faxover/orchestrator/Error.h"

#include <string>

namespace faxover::orchestrator::api {

// The header a TCP client names its user in. Unverified: anyone on this machine can claim any
// name over TCP, which is why the unix socket (identity from the kernel) is the default.
inline constexpr const char* kUserHeader = "X-Faxover-User";

// The login name of `uid`, or "uid:N" when the password database has no entry for it.
std::string userNameOf(unsigned uid);

// "admin:NAME" for the process at the other end of the connected unix socket `fd` (SO_PEERCRED).
Result<std::string> unixPeerActor(int fd);

// "tcp:admin:NAME" for the name a TCP client claims; BadRequest when it is missing or holds
// anything but letters, digits, '.', '_' and '-' (at most 64), so a log line cannot be forged.
Result<std::string> tcpClaimedActor(const std::string& claimedName);

}  // namespace faxover::orchestrator::api
