#include "ApiListener.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace faxover::orchestrator::api {

namespace {

namespace fs = std::filesystem;
using Poco::Net::ServerSocket;
using Poco::Net::SocketAddress;

constexpr int kListenBacklog = 64;

bool someoneAnswers(const SocketAddress& address) {
    try {
        Poco::Net::StreamSocket probe;
        probe.connect(address, Poco::Timespan(1, 0));
        return true;
    } catch (const Poco::Exception&) {
        return false;
    }
}

Result<void> clearSocketPath(const std::string& path, const SocketAddress& address) {
    std::error_code error;
    const fs::file_status status = fs::symlink_status(path, error);
    if (status.type() == fs::file_type::not_found) return ok();
    if (status.type() != fs::file_type::socket) {
        return Error{ErrorKind::BadRequest, "API socket path " + path + " exists and is not a socket"};
    }
    if (someoneAnswers(address)) {
        return Error{ErrorKind::Refused,
                         "another process (a running faxover daemon?) answers on " + path};
    }
    if (!fs::remove(path, error) && error) {
        return Error{ErrorKind::Internal, "cannot remove stale socket " + path + ": " + error.message()};
    }
    return ok();
}

Result<ServerSocket> openUnixListener(const std::string& path) {
    std::error_code error;
    fs::create_directories(fs::path(path).parent_path(), error);
    if (error) {
        return Error{ErrorKind::Internal,
                         "cannot create " + fs::path(path).parent_path().string() + ": " + error.message()};
    }
    const SocketAddress address(SocketAddress::UNIX_LOCAL, path);
    BOOST_OUTCOME_TRY(clearSocketPath(path, address));
    ServerSocket socket;
    socket.bind(address);
    if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
        return Error{ErrorKind::Internal, "cannot chmod 0600 " + path + ": " + std::strerror(errno)};
    }
    socket.listen(kListenBacklog);
    return socket;
}

Result<ServerSocket> openTcpListener(const ApiEndpoint& endpoint, bool loopbackOnly) {
    const SocketAddress address(endpoint.host, endpoint.port);
    if (loopbackOnly && !address.host().isLoopback()) {
        return Error{ErrorKind::BadRequest,
                         "refusing to serve the API on " + endpoint.toString() +
                             ": not a loopback address, and the API has no authentication"};
    }
    ServerSocket socket;
    // SO_REUSEADDR (a restart right after a stop binds at once) but not SO_REUSEPORT, which Poco's
    // two-argument bind also sets: with it a second daemon would silently share the port.
    socket.bind(address, true, false);
    socket.listen(kListenBacklog);
    return socket;
}

}  // namespace

Result<ServerSocket> openApiListener(const ApiEndpoint& endpoint, bool loopbackOnly) {
    try {
        if (endpoint.transport == ApiEndpoint::Transport::UnixSocket) return openUnixListener(endpoint.path);
        return openTcpListener(endpoint, loopbackOnly);
    } catch (const Poco::Net::HostNotFoundException& error) {
        return Error{ErrorKind::BadRequest,
                         "cannot resolve " + endpoint.toString() + ": " + error.displayText()};
    } catch (const Poco::Exception& error) {
        return Error{ErrorKind::Internal,
                         "cannot listen on " + endpoint.toString() + ": " + error.displayText()};
    }
}

}  // namespace faxover::orchestrator::api
