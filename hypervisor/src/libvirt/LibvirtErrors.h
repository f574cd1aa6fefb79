#pragma once
// The one place libvirt's error codes become the layer's ErrorKind.
#include "faxover/hypervisor/Result.h"

#include <string_view>

namespace faxover::hv::libvirt {

// Pure mapping from (virErrorNumber, virErrorDomain) to what a caller can act on.
ErrorKind classifyLibvirtError(int code, int domain);

// Reads libvirt's thread-local last error and resets it. `what` names the failed operation
// ("start domain fax1"); the message reads "<what> on <host>: <libvirt's message>".
Error lastLibvirtError(std::string_view host, std::string_view what);

// Silences libvirt's default error printing to stderr (errors are reported through Result).
void silenceDefaultErrorPrinting();

}  // namespace faxover::hv::libvirt
