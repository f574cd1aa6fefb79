#pragma once
// Results across the hypervisor boundary: a value or a typed Error, never an exception.
// Boost.Outcome stands in for std::expected, which C++20 lacks.
#include <boost/outcome/result.hpp>
#include <boost/outcome/success_failure.hpp>
#include <boost/outcome/try.hpp>

#include <string>

namespace faxover::hv {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

// What went wrong, in terms a caller can act on. The libvirt code and message are kept verbatim
// for logs and for the admin; callers branch on `kind` only.
enum class ErrorKind {
    HostUnreachable,   // no connection to the host's libvirtd: says nothing about its VMs
    NoSuchDomain,
    NoSuchDevice,
    InvalidArgument,   // bad input from our caller (malformed XML, unknown host name, ...)
    OperationInvalid,  // the request does not fit the current state (start a running domain, ...)
    OperationFailed,   // libvirt or QEMU tried and failed
    MigrationRefused,  // the domain cannot be live-migrated (hostdev, local disk, ...)
    NotSupported,
    Timeout,
    Aborted,
    Internal,
};

const char* toString(ErrorKind kind);

struct Error {
    ErrorKind kind = ErrorKind::Internal;
    std::string message{};   // one line: what failed, where, and libvirt's own words
    std::string host{};      // host the call went to, empty when not host-specific
    int libvirtCode = 0;     // virErrorNumber, 0 when the error did not come from libvirt
    int libvirtDomain = 0;   // virErrorDomain
};

template <class T>
using Result = outcome::result<T, Error, outcome::policy::terminate>;

inline Result<void> ok() { return outcome::success(); }

}  // namespace faxover::hv
