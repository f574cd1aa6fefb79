#pragma once
// The libvirt end of a guest channel: virDomainOpenChannel on a non-blocking stream whose events
// run on libvirt's event loop (EventLoop.h), the thread that also serves every host's keepalives.
// So the stream callback only reads what is there (a bounded amount per event) and hands the copy
// to the channel's handler; it never waits.
#include "faxover/hypervisor/Channel.h"
#include "faxover/hypervisor/Result.h"

#include <libvirt/libvirt.h>

#include <memory>
#include <string>

namespace faxover::hv::libvirt {

Result<std::unique_ptr<Channel>> openGuestChannel(virConnectPtr connection, virDomainPtr domain,
                                                  const std::string& host, const std::string& name,
                                                  ChannelHandler handler);

}  // namespace faxover::hv::libvirt
