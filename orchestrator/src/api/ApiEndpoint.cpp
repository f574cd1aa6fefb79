#include "faxover/orchestrator/api/ApiEndpoint.h"

#include <charconv>

namespace faxover::orchestrator::api {

namespace {

Error badAddress(std::string_view address, const std::string& why) {
    return Error{ErrorKind::BadRequest,
                     "API address '" + std::string(address) + "': " + why +
                         " (expected unix:/PATH or tcp:HOST:PORT, e.g. " + kDefaultApiAddress + ")"};
}

bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// sockaddr_un's sun_path holds 108 bytes, the terminating NUL included.
constexpr std::size_t kMaxSocketPath = 107;

Result<ApiEndpoint> unixEndpoint(std::string_view address, std::string_view path) {
    if (path.empty() || path.front() != '/') return badAddress(address, "a socket path must be absolute");
    if (path.size() > kMaxSocketPath) return badAddress(address, "a socket path has at most 107 bytes");
    return ApiEndpoint{ApiEndpoint::Transport::UnixSocket, std::string(path), {}, 0};
}

// HOST:PORT with HOST an IPv4 literal or name, or [IPv6]:PORT. The error says only what is wrong;
// callers name the address and the expected shape.
Result<ApiEndpoint> tcpEndpoint(std::string_view hostAndPort) {
    const auto why = [](const std::string& problem) { return Error{ErrorKind::BadRequest, problem}; };
    const auto colon = hostAndPort.rfind(':');
    if (colon == std::string_view::npos) return why("a TCP address needs a port");
    std::string_view host = hostAndPort.substr(0, colon);
    const std::string_view portText = hostAndPort.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    if (host.empty() || host.find_first_of("[]/") != std::string_view::npos) return why("bad host");
    unsigned port = 0;
    const auto [end, problem] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (portText.empty() || problem != std::errc{} || end != portText.data() + portText.size() || port > 65535) {
        return why("bad port '" + std::string(portText) + "'");
    }
    return ApiEndpoint{ApiEndpoint::Transport::Tcp, {}, std::string(host), static_cast<std::uint16_t>(port)};
}

Result<ApiEndpoint> apiTcpEndpoint(std::string_view address, std::string_view hostAndPort) {
    auto endpoint = tcpEndpoint(hostAndPort);
    if (!endpoint) return badAddress(address, endpoint.error().message);
    return endpoint;
}

}  // namespace

Result<ApiEndpoint> parseHookListenAddress(std::string_view address) {
    const auto bad = [&](const std::string& why) {
        return Error{ErrorKind::BadRequest, "hook listen address '" + std::string(address) + "': " + why +
                                                             " (expected ADDRESS:PORT, e.g. 0.0.0.0:7481 or [::]:7481)"};
    };
    if (startsWith(address, "unix:") || startsWith(address, "/")) return bad("the hosts reach it over TCP, not a socket file");
    const std::string_view hostAndPort = startsWith(address, "tcp:") ? address.substr(4) : address;
    if (hostAndPort.find("://") != std::string_view::npos) return bad("no URL scheme");
    auto endpoint = tcpEndpoint(hostAndPort);
    if (!endpoint) return bad(endpoint.error().message);
    if (endpoint.value().port == 0) return bad("port 0 would be a different port at each start; the hooks need a fixed one");
    return endpoint;
}

std::string ApiEndpoint::toString() const {
    if (transport == Transport::UnixSocket) return "unix:" + path;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "tcp:" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ApiEndpoint> parseApiEndpoint(std::string_view address) {
    if (startsWith(address, "unix:")) return unixEndpoint(address, address.substr(5));
    if (startsWith(address, "/")) return unixEndpoint(address, address);
    if (startsWith(address, "tcp:")) return apiTcpEndpoint(address, address.substr(4));
    if (address.find("://") != std::string_view::npos) return badAddress(address, "unknown scheme");
    return apiTcpEndpoint(address, address);
}

}  // namespace faxover::orchestrator::api
