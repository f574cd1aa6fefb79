#pragma once
// Where the local API listens, as an admin writes it (--api, FAXOVER_API):
//   unix:/run/faxover/faxover.sock   or just an absolute path: a unix-domain socket
//   tcp:127.0.0.1:7480               or 127.0.0.1:7480, [::1]:7480, localhost:7480: TCP
// Parsing checks the shape only; the server also insists that a TCP address is loopback.
#include "faxover/orchestrator/Error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace faxover::orchestrator::api {

inline constexpr const char* kDefaultApiAddress = "unix:/run/faxover/faxover.sock";

struct ApiEndpoint {
    enum class Transport { UnixSocket, Tcp };
    Transport transport = Transport::UnixSocket;
    std::string path{};     // UnixSocket
    std::string host{};     // Tcp: an IP literal or a name
    std::uint16_t port = 0; // Tcp: 0 lets the server pick (tests)
    std::string toString() const;  // "unix:/path" or "tcp:HOST:PORT", as parseApiEndpoint reads it
    bool operator==(const ApiEndpoint&) const = default;
};

Result<ApiEndpoint> parseApiEndpoint(std::string_view address);

// `faxover daemon --hook-listen ADDRESS:PORT`, where the hosts' libvirt hooks reach the daemon:
// 0.0.0.0:7481, 198.18.0.1:7481, [::]:7481 (tcp: may prefix it). Any address, since the hosts
// are remote; a fixed port, since every hook has it configured (port 0 is refused).
Result<ApiEndpoint> parseHookListenAddress(std::string_view address);

}  // namespace faxover::orchestrator::api
