#include "libvirt/EventLoop.h"

#include "libvirt/LibvirtErrors.h"

#include <libvirt/libvirt.h>

#include <mutex>
#include <thread>

namespace faxover::hv::libvirt {

void ensureEventLoopRunning() {
    static std::once_flag once;
    std::call_once(once, [] {
        virInitialize();
        silenceDefaultErrorPrinting();
        virEventRegisterDefaultImpl();
        // Detached on purpose: libvirt offers no way to unregister the default implementation,
        // so the loop lives as long as the process and connections may rely on it until exit.
        std::thread([] {
            for (;;) virEventRunDefaultImpl();
        }).detach();
    });
}

}  // namespace faxover::hv::libvirt
