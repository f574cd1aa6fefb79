#pragma once
// Owning handles for libvirt objects, so every early return releases what it took.
#include <libvirt/libvirt.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace faxover::hv::libvirt {

struct ConnectionCloser {
    void operator()(virConnectPtr connection) const { virConnectClose(connection); }
};
struct DomainFreer {
    void operator()(virDomainPtr domain) const { virDomainFree(domain); }
};
struct NodeDeviceFreer {
    void operator()(virNodeDevicePtr device) const { virNodeDeviceFree(device); }
};
struct CharFreer {
    void operator()(char* text) const { std::free(text); }
};

// A counted reference to a connection: valid for the holder even if the supervisor drops its own.
using ConnectionRef = std::unique_ptr<virConnect, ConnectionCloser>;
using DomainHandle = std::unique_ptr<virDomain, DomainFreer>;
using NodeDeviceHandle = std::unique_ptr<virNodeDevice, NodeDeviceFreer>;
using CString = std::unique_ptr<char, CharFreer>;

inline std::string takeString(char* text) {
    CString owned(text);
    return owned ? std::string(owned.get()) : std::string();
}

}  // namespace faxover::hv::libvirt
