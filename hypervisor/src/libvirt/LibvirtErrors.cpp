#include "libvirt/LibvirtErrors.h"

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <string>

namespace faxover::hv::libvirt {

ErrorKind classifyLibvirtError(int code, int domain) {
    switch (code) {
        case VIR_ERR_NO_DOMAIN: return ErrorKind::NoSuchDomain;
        case VIR_ERR_NO_NODE_DEVICE: return ErrorKind::NoSuchDevice;
        // The connection itself is gone: the host's state is unknown, never "domain dead".
        case VIR_ERR_NO_CONNECT:
        case VIR_ERR_INVALID_CONN:
        case VIR_ERR_RPC: return ErrorKind::HostUnreachable;
        case VIR_ERR_AUTH_FAILED:
        case VIR_ERR_AUTH_CANCELLED:
        case VIR_ERR_AUTH_UNAVAILABLE: return ErrorKind::OperationFailed;
        case VIR_ERR_OPERATION_INVALID: return ErrorKind::OperationInvalid;
        case VIR_ERR_INVALID_ARG:
        case VIR_ERR_XML_ERROR:
        case VIR_ERR_XML_DETAIL:
        case VIR_ERR_INVALID_DOMAIN:
        case VIR_ERR_INVALID_NODE_DEVICE: return ErrorKind::InvalidArgument;
        case VIR_ERR_NO_SUPPORT:
        case VIR_ERR_CONFIG_UNSUPPORTED:
        case VIR_ERR_ARGUMENT_UNSUPPORTED: return ErrorKind::NotSupported;
        case VIR_ERR_OPERATION_ABORTED: return ErrorKind::Aborted;
        case VIR_ERR_OPERATION_TIMEOUT:
        case VIR_ERR_AGENT_UNRESPONSIVE: return ErrorKind::Timeout;
        case VIR_ERR_MIGRATE_UNSAFE: return ErrorKind::MigrationRefused;
        default: break;
    }
    // Socket errors ("Cannot recv data", "client socket is closed") arrive as system or internal
    // errors from the RPC layer.
    if (domain == VIR_FROM_RPC) return ErrorKind::HostUnreachable;
    return ErrorKind::OperationFailed;
}

Error lastLibvirtError(std::string_view host, std::string_view what) {
    Error error;
    error.host = std::string(host);
    const virError* last = virGetLastError();
    std::string detail = "unknown libvirt error";
    if (last != nullptr) {
        error.libvirtCode = last->code;
        error.libvirtDomain = last->domain;
        error.kind = classifyLibvirtError(last->code, last->domain);
        if (last->message != nullptr) detail = last->message;
    }
    error.message = std::string(what) + (host.empty() ? "" : " on " + std::string(host)) + ": " + detail;
    virResetLastError();
    return error;
}

namespace {
void ignoreError(void* /*userData*/, virErrorPtr /*error*/) {}
}  // namespace

void silenceDefaultErrorPrinting() { virSetErrorFunc(nullptr, ignoreError); }

}  // namespace faxover::hv::libvirt
