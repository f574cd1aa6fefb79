#pragma once
// A real HylaFAX server of its own for one test: a spool in a fresh temporary folder (Debian's
// /etc/hylafax copied into SPOOL/etc), faxq and hfaxd started on it (the real binaries, each in a
// process group of its own; hfaxd on a free port of 127.0.0.1), one send-only modem registered with
// faxmodem. Its SendFaxCmd is a script that records each call in SPOOL/sent.log instead of
// dialling, and holds the call for a while when SPOOL/slow exists. The destructor kills only the
// process groups it started and removes the spool, also when a test fails.
//
// Needs root and Debian's hylafax-server: without them the constructor throws, and the test fails.
#include "TempDir.h"

#include <Poco/Net/StreamSocket.h>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace faxover::faxguest::test {

class HylafaxSpool {
public:
    static constexpr const char* kModem = "ttyFAKE0";

    HylafaxSpool();
    ~HylafaxSpool();
    HylafaxSpool(const HylafaxSpool&) = delete;
    HylafaxSpool& operator=(const HylafaxSpool&) = delete;

    std::string spool() const { return dir_.path().string(); }
    std::uint16_t port() const { return port_; }
    pid_t faxqPid() const { return faxq_; }
    pid_t hfaxdPid() const { return hfaxd_; }

    // SIGKILL and reap one of the daemons it started.
    void kill(pid_t pid);

    // Submits a fax with sendfax to `number`; returns the job id.
    std::string submit(const std::string& number) const;

    // What SendFaxCmd was called with so far, one line per call ("-m ttyFAKE0 sendq/q1").
    std::string sentLog() const;

private:
    pid_t start(const std::vector<std::string>& argv);
    std::vector<pid_t> ownProcesses() const;  // live processes whose arguments name this spool

    faxover::test::TempDir dir_{"faxguest-spool-"};
    std::uint16_t port_ = 0;
    pid_t faxq_ = 0;
    pid_t hfaxd_ = 0;
    std::vector<pid_t> groups_{};
};

// A TCP port of 127.0.0.1 that nothing listens on now.
std::uint16_t freePort();

// Connects `socket` to 127.0.0.1:`port`, trying until something listens or `patience` has passed.
bool connectWithin(Poco::Net::StreamSocket& socket, std::uint16_t port, std::chrono::milliseconds patience);

// Polls `condition` every 100 ms until it holds or `patience` has passed.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds patience) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
}

}  // namespace faxover::faxguest::test
