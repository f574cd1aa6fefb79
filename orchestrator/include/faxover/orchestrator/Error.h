#pragma once
// The orchestrator's own errors: what the API answers and what the CLI reports. A kind says what
// the caller can do about it; the one table in Error.cpp gives each kind its wire name, HTTP status
// and CLI exit code. hv::Error stays the hypervisor layer's; where one reaches an admin (a store
// that failed, say) the runtime says which kind it is.
#include "faxover/hypervisor/Result.h"

#include <optional>
#include <string>
#include <string_view>

namespace faxover::orchestrator {

// The CLI's exit codes (docs/cli.md, "Exit status").
inline constexpr int kAdminOk = 0;
inline constexpr int kAdminRefused = 1;        // the daemon refused or failed; its message is printed
inline constexpr int kAdminUsage = 2;          // bad command line, or a confirmation that cannot be asked
inline constexpr int kAdminUnreachable = 3;    // no daemon at the API address, or it stopped answering
inline constexpr int kAdminAccessDenied = 4;   // this user may not use the daemon's socket
inline constexpr int kAdminTryAgain = 5;       // the daemon could not do it now (store, limits): nothing was done

enum class ErrorKind {
    BadRequest,         // malformed or incomplete input: JSON, a query, a verb's arguments, a name
    NotFound,           // no such endpoint (an older daemon): the CLI does without it
    Refused,            // the request does not fit the cluster's current state
    StoreFailed,        // the store did not accept the change: nothing was done
    Busy,               // the daemon is at its limit for this caller: try again
    NotSupported,       // this daemon does not offer it
    DaemonUnreachable,  // no daemon answers at the API address, or it stopped answering
    AccessDenied,       // the daemon's socket may not be used by this user
    Internal,           // a fault of ours, or an answer this side cannot read
};

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string message{};  // one line: what failed and where
    bool operator==(const Error&) const = default;
};

template <class T>
using Result = hv::outcome::result<T, Error, hv::outcome::policy::terminate>;

inline Result<void> ok() { return hv::outcome::success(); }

// The name on the wire ("BadRequest", ...) and its reading back; nullopt for a name no kind has.
const char* wireNameOf(ErrorKind kind);
std::optional<ErrorKind> errorKindNamed(std::string_view wireName);
int httpStatusOf(ErrorKind kind);
int exitCodeOf(ErrorKind kind);

}  // namespace faxover::orchestrator
