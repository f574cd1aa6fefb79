// faxover-libvirt-hook: libvirt's qemu hook (/etc/libvirt/hooks/qemu) and daemon hook
// (/etc/libvirt/hooks/daemon, called as `daemon - shutdown -`), see docs/hook.md.
// libvirt runs it as `qemu DOMAIN OPERATION SUBOP EXTRA` with the domain XML on stdin; a non-zero
// exit at "prepare begin" makes libvirt refuse the start and show our stderr to whoever started it.
// The work is faxover::hook::runHook (RunHook.cpp), its decision decide() (Decision.cpp).
#include "faxover/hook/Config.h"
#include "faxover/hook/RunHook.h"

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: qemu DOMAIN OPERATION SUBOP EXTRA (run by libvirtd as /etc/libvirt/hooks/qemu; "
                     "see docs/hook.md)\n";
        return 2;
    }
    faxover::hook::HookRequest request;
    request.domain = argv[1];
    request.operation = argv[2];
    request.subOperation = argc > 3 ? argv[3] : "";
    // FAXOVER_HOOK_CONFIG is for trying a configuration by hand: libvirt runs hooks with a clean
    // environment, so under libvirt it is always the default path.
    const char* fromEnvironment = std::getenv("FAXOVER_HOOK_CONFIG");
    request.configPath = fromEnvironment != nullptr ? fromEnvironment : faxover::hook::kDefaultConfigPath;
    try {
        return faxover::hook::runHook(request, std::cin, std::cerr);
    } catch (const std::exception& error) {
        // Unexpected: every expected problem is a decision in runHook. Refusing is the safe side.
        std::cerr << "faxover: refusing to start " << request.domain << ": internal error in the hook: " << error.what()
                  << "\n";
        return 1;
    }
}
