#pragma once
// libvirt's default event loop on a thread of its own. It must be registered before the first
// connection opens and serves every connection of the process: keepalives, close callbacks and
// domain events all run on it.
namespace faxover::hv::libvirt {

// Idempotent and thread-safe; the loop then runs until process exit.
void ensureEventLoopRunning();

}  // namespace faxover::hv::libvirt
