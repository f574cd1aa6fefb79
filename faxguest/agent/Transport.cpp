#include "Transport.h"

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

namespace faxover::faxguest::agent {
namespace {

constexpr std::size_t kReadChunk = 4096;

int millis(std::chrono::milliseconds timeout) { return static_cast<int>(std::max<std::int64_t>(0, timeout.count())); }

// Writes all of `line` to a non-blocking descriptor, waiting at most `patience` for room.
bool writeAll(int fd, const std::string& line, std::chrono::milliseconds patience) {
    std::size_t done = 0;
    while (done < line.size()) {
        const ssize_t wrote = ::write(fd, line.data() + done, line.size() - done);
        if (wrote > 0) {
            done += static_cast<std::size_t>(wrote);
            continue;
        }
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0 && errno == EAGAIN) {
            pollfd ready{fd, POLLOUT, 0};
            if (::poll(&ready, 1, millis(patience)) <= 0 || (ready.revents & (POLLERR | POLLHUP))) return false;
            continue;
        }
        return false;
    }
    return true;
}

class DeviceTransport final : public Transport {
public:
    explicit DeviceTransport(std::string path) : path_(std::move(path)) {
        fd_ = ::open(path_.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd_ < 0) throw std::runtime_error(path_ + ": " + std::strerror(errno));
    }
    ~DeviceTransport() override { ::close(fd_); }
    DeviceTransport(const DeviceTransport&) = delete;
    DeviceTransport& operator=(const DeviceTransport&) = delete;

    std::string receive(std::chrono::milliseconds timeout) override {
        pollfd ready{fd_, POLLIN, 0};
        const int n = ::poll(&ready, 1, millis(timeout));
        if (n > 0 && (ready.revents & POLLIN)) {
            std::array<char, kReadChunk> buffer{};
            const ssize_t got = ::read(fd_, buffer.data(), buffer.size());
            if (got > 0) return std::string(buffer.data(), static_cast<std::size_t>(got));
        }
        // A virtio-serial port with no host side reports POLLHUP at once: wait out the time
        // instead of spinning.
        if (n > 0 && !(ready.revents & POLLIN)) std::this_thread::sleep_for(timeout);
        return "";
    }

    bool send(const std::string& line) override { return writeAll(fd_, line, std::chrono::milliseconds(1000)); }
    std::string describe() const override { return "device " + path_; }

private:
    std::string path_;
    int fd_ = -1;
};

class TcpTransport final : public Transport {
public:
    explicit TcpTransport(const std::string& address) : address_(address) {
        try {
            server_.bind(Poco::Net::SocketAddress(address), true);
            server_.listen(4);
        } catch (const Poco::Exception& e) {
            throw std::runtime_error("tcp " + address + ": " + e.displayText());
        }
    }

    std::string receive(std::chrono::milliseconds timeout) override {
        std::array<pollfd, 2> fds{{{server_.impl()->sockfd(), POLLIN, 0}, {-1, POLLIN, 0}}};
        if (peer_) fds[1].fd = peer_->impl()->sockfd();
        if (::poll(fds.data(), fds.size(), millis(timeout)) <= 0) return "";
        if (fds[0].revents & POLLIN) {
            try {
                peer_ = server_.acceptConnection();
                peer_->setBlocking(false);
            } catch (const Poco::Exception&) {
                peer_.reset();
            }
            return "";
        }
        if (peer_ && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            std::array<char, kReadChunk> buffer{};
            const ssize_t got = ::recv(peer_->impl()->sockfd(), buffer.data(), buffer.size(), 0);
            if (got > 0) return std::string(buffer.data(), static_cast<std::size_t>(got));
            if (got == 0 || (errno != EAGAIN && errno != EINTR)) peer_.reset();
        }
        return "";
    }

    bool send(const std::string& line) override {
        if (!peer_) return false;
        if (writeAll(peer_->impl()->sockfd(), line, std::chrono::milliseconds(1000))) return true;
        peer_.reset();  // a peer that does not read loses its connection, not the agent's time
        return false;
    }

    std::string describe() const override { return "tcp " + address_; }

private:
    std::string address_;
    Poco::Net::ServerSocket server_{};
    std::optional<Poco::Net::StreamSocket> peer_{};
};

}  // namespace

std::unique_ptr<Transport> openTransport(const TransportConfig& config) {
    if (!config.device.empty()) return std::make_unique<DeviceTransport>(config.device);
    return std::make_unique<TcpTransport>(config.tcpListen);
}

}  // namespace faxover::faxguest::agent
