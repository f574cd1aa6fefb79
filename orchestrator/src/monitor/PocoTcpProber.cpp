#include "faxover/orchestrator/monitor/PocoTcpProber.h"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/PollSet.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <map>
#include <optional>

namespace faxover::orchestrator::monitor {
namespace {

using Clock = std::chrono::steady_clock;

// "[fd00::11]" (how the policy writes IPv6) -> "fd00::11" (what the resolver takes).
std::string withoutBrackets(const std::string& address) {
    if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
        return address.substr(1, address.size() - 2);
    }
    return address;
}

// An IP literal needs no resolver; a name takes the resolver's first address. Nothing when the
// name does not resolve: the caller counts that as silence.
std::optional<Poco::Net::SocketAddress> resolve(const ports::ProbeTarget& target) {
    const std::string host = withoutBrackets(target.address);
    try {
        Poco::Net::IPAddress ip;
        if (!Poco::Net::IPAddress::tryParse(host, ip)) ip = Poco::Net::DNS::resolveOne(host);
        return Poco::Net::SocketAddress(ip, target.port);
    } catch (const Poco::Exception&) {
        return std::nullopt;
    }
}

// The kernel's verdict on a finished non-blocking connect: accepted (0) or refused by an RST
// (ECONNREFUSED) both prove the host's kernel answered; anything else (EHOSTUNREACH from ARP
// failing, ETIMEDOUT, ...) is silence.
bool answered(const Poco::Net::StreamSocket& socket) {
    int error = 0;
    try {
        socket.getOption(SOL_SOCKET, SO_ERROR, error);
    } catch (const Poco::Exception&) {
        return false;
    }
    return error == 0 || error == ECONNREFUSED;
}

// One connect in flight and the index of its target in the caller's list.
struct Attempt {
    std::size_t target = 0;
    Poco::Net::StreamSocket socket{};
};

}  // namespace

std::vector<bool> PocoTcpProber::probe(const std::vector<ports::ProbeTarget>& targets, hv::Duration timeout) {
    std::vector<bool> results(targets.size(), false);
    std::vector<Attempt> attempts;
    attempts.reserve(targets.size());  // the PollSet holds Socket copies; the vector must not move them
    Poco::Net::PollSet pending;
    for (std::size_t index = 0; index < targets.size(); ++index) {
        auto address = resolve(targets[index]);
        if (!address) continue;
        try {
            Poco::Net::StreamSocket socket(address->family());
            socket.connectNB(*address);  // connected, or in progress; an immediate failure throws
            attempts.push_back(Attempt{index, socket});
            pending.add(socket, Poco::Net::PollSet::POLL_WRITE | Poco::Net::PollSet::POLL_ERROR);
        } catch (const Poco::Net::ConnectionRefusedException&) {
            results[index] = true;  // refused at once (a local port): the kernel answered
        } catch (const Poco::Exception&) {
            // ENETUNREACH and the like, at once: no route, so silent.
        }
    }

    const auto deadline = Clock::now() + timeout;
    while (!pending.empty()) {
        const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        const auto ready = pending.poll(Poco::Timespan(left.count()));
        for (const auto& [socket, mode] : ready) {
            for (Attempt& attempt : attempts) {
                if (attempt.socket != socket) continue;
                results[attempt.target] = answered(attempt.socket);
                pending.remove(attempt.socket);
            }
        }
    }
    // Sockets still pending close here: their connects are abandoned, the targets stay silent.
    return results;
}

}  // namespace faxover::orchestrator::monitor
