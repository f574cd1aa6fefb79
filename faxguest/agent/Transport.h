#pragma once
// Where the agent's lines go and its commands come from: the virtio-serial port (a character
// device in the guest) or, for guests without the channel, a TCP port it listens on (one peer at a
// time: a new connection replaces the old).
#include "Config.h"

#include <chrono>
#include <memory>
#include <string>

namespace faxover::faxguest::agent {

class Transport {
public:
    virtual ~Transport() = default;
    // Waits at most `timeout` for bytes from the other side; "" when none came.
    virtual std::string receive(std::chrono::milliseconds timeout) = 0;
    // False when the line was dropped: no peer, or it does not read.
    virtual bool send(const std::string& line) = 0;
    virtual std::string describe() const = 0;
};

// Throws std::runtime_error when the device cannot be opened or the port not bound.
std::unique_ptr<Transport> openTransport(const TransportConfig& config);

}  // namespace faxover::faxguest::agent
