#pragma once
// The agent's YAML config (docs/guest-agent.md, "Config"). Every error says file:line:column.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace faxover::faxguest::agent {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using Argv = std::vector<std::string>;  // a program and its arguments, run without a shell

struct CheckConfig {
    enum class Kind { Process, Tcp, Command };
    std::string name{};
    Kind kind = Kind::Process;
    std::string process{};              // Process: the name in /proc/PID/comm
    std::string host{};                 // Tcp
    std::uint16_t port = 0;             // Tcp
    Argv command{};                     // Command: ok when it exits 0
    std::chrono::milliseconds timeout{2000};
};

struct HylafaxConfig {
    std::string spool = "/var/spool/hylafax";
    std::string host = "127.0.0.1";     // where hfaxd listens
    std::uint16_t port = 4559;
    std::string user = "faxover";       // the USER of the protocol exchange
    std::chrono::milliseconds timeout{2000};  // each step of the exchange, and faxstat
    std::string bin = "/usr/lib/hylafax/bin";  // faxstate, faxmodem: the real programs, not Debian's /usr/sbin wrappers
    std::string faxstat = "/usr/bin/faxstat";
    std::string sendfax = "/usr/bin/sendfax";
    std::string queueUser = "uucp";     // faxq's user: the queues must be readable by it
    std::vector<std::string> modems{};  // quiesce marks these busy
    std::string testFaxNumber{};
    std::string testFaxDocument{};
};

struct LicenceConfig {
    Argv status{};  // exit 0: licensed, 1: unlicensed, else unknown
    Argv apply{};
    Argv revoke{};
    std::chrono::milliseconds timeout{30000};
};

struct TelephonyConfig {
    std::string pciRoot = "/sys/bus/pci/devices";
    std::vector<std::string> boardVendors{"0x12e4", "0x12c7"};  // Brooktrout, Dialogic
    std::string sr140{};      // a path that exists when an SR140 is configured
    std::string softModem{};  // the same for a soft-modem (iaxmodem's /etc/iaxmodem)
};

struct TransportConfig {
    std::string device{};        // the virtio-serial port, e.g. /dev/virtio-ports/org.faxover.agent.0
    std::string tcpListen{};     // or ADDRESS:PORT to listen on, one peer at a time
};

struct Config {
    std::string file{};
    std::chrono::milliseconds heartbeatInterval{5000};
    TransportConfig transport{};
    std::string product = "hylafax";
    std::string productVersion{};  // when set, instead of what hfaxd's greeting says
    std::vector<CheckConfig> checks{};
    std::optional<HylafaxConfig> hylafax{};
    LicenceConfig licence{};
    TelephonyConfig telephony{};
    // restart_service: the orchestrator's first step against a dead fax service (docs/engine.md,
    // "Fax health"). For HylaFAX e.g. [/etc/init.d/hylafax, restart]; empty: refused.
    Argv restartCommand{};
    std::chrono::milliseconds restartTimeout{60000};
};

// Throws ConfigError.
Config loadConfig(const std::string& path);
Config parseConfig(const std::string& text, const std::string& fileName);

}  // namespace faxover::faxguest::agent
