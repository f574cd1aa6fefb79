#pragma once
// The guest agent's wire protocol (docs/guest-agent.md): one JSON object per line, versioned. The
// agent in the fax VM writes heartbeats and replies; the orchestrator writes commands. Both sides
// share this code. Whatever arrives from the other side is untrusted: parseLine() checks the size,
// the version and every field's type and range, and returns an error naming the field; it never
// throws or crashes on any input.
#include <cstddef>
#include <boost/outcome/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace faxover::faxguest {

inline constexpr std::int64_t kProtocolVersion = 1;
// A line longer than this is refused unread (LineReader drops it); a heartbeat with every list at
// its limit stays below it.
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxTextBytes = 512;  // every string field
inline constexpr std::size_t kMaxChecks = 32;
inline constexpr std::size_t kMaxBoards = 8;
inline constexpr std::size_t kMaxModems = 16;
inline constexpr std::size_t kMaxJsonDepth = 8;

struct ProtocolError {
    std::string message{};  // one line, naming the field: "checks[3].ok: expected a boolean"
};

struct CheckResult {
    std::string name{};    // from the agent's config: "faxq", "hylafax"
    std::string kind{};    // process, tcp, command, hylafax
    bool ok = false;
    std::string detail{};  // one line: why it failed, or what it saw
    std::int64_t elapsedMs = 0;
};

struct PciBoard {
    std::string address{};  // 0000:00:05.0
    std::string vendor{};   // 0x12e4
    std::string device{};   // 0x4001
};

struct ModemState {
    std::string name{};   // ttyIAX0
    std::string state{};  // as the scheduler says it: "Running and idle"
};

struct Telephony {
    std::vector<PciBoard> boards{};  // fax boards on the guest's PCI bus
    bool sr140 = false;              // an SR140 (software Brooktrout) configured
    bool softModem = false;          // a soft-modem (iaxmodem, t38modem) configured
    std::vector<ModemState> modems{};
};

struct Queues {
    std::int64_t outbound = 0;  // jobs waiting to be sent
    std::int64_t inbound = 0;   // received faxes not yet collected
    std::int64_t active = 0;    // calls in progress
};

// licensed / unlicensed / unknown (the licence status command failed or none is configured).
struct Licence {
    std::string state = "unknown";
    std::string detail{};
};

struct Heartbeat {
    std::int64_t seq = 0;
    std::string agentVersion{};
    std::int64_t agentRssKiB = 0;
    std::string product{};         // hylafax, or what the config names
    std::string productVersion{};
    bool healthy = false;          // every check ok
    bool quiesced = false;
    std::vector<CheckResult> checks{};
    Telephony telephony{};
    Queues queues{};
    Licence licence{};
};

enum class CommandKind { Quiesce, Resume, LicenceApply, LicenceRevoke, SelfTest, SendTestFax, RestartService };

struct Command {
    std::string id{};  // chosen by the sender, echoed in the reply
    CommandKind kind = CommandKind::SelfTest;
    std::int64_t timeoutMs = 0;  // quiesce: how long running calls may take to finish
};

struct Reply {
    std::string id{};
    CommandKind kind = CommandKind::SelfTest;
    bool ok = false;
    std::string detail{};
    std::vector<CheckResult> checks{};  // self_test: the checks it ran
};

using Message = std::variant<Heartbeat, Command, Reply>;

// A message or why the line was refused (Boost.Outcome: no exception crosses the library).
using ParseResult = BOOST_OUTCOME_V2_NAMESPACE::result<Message, ProtocolError, BOOST_OUTCOME_V2_NAMESPACE::policy::terminate>;

std::string commandName(CommandKind kind);

// One line each, ending in '\n'. Text fields are cut to kMaxTextBytes and every byte outside
// printable ASCII becomes '?', so what a check captured from a program cannot break the line.
std::string encodeLine(const Heartbeat& heartbeat);
std::string encodeLine(const Command& command);
std::string encodeLine(const Reply& reply);

// Parses one line (without or with its '\n'). Refused: too long, not JSON, not an object, an
// unknown or missing version, an unknown type, a field missing, of the wrong type or out of range.
ParseResult parseLine(std::string_view line);

// Splits a byte stream into lines, never holding more than kMaxLineBytes: a longer line is dropped
// up to its end and reported once. For the agent's and the orchestrator's read loops.
class LineReader {
public:
    struct Item {
        std::string line{};
        std::string error{};  // non-empty: a line was dropped
    };
    explicit LineReader(std::size_t maxLineBytes = kMaxLineBytes) : max_(maxLineBytes) {}
    std::vector<Item> feed(std::string_view bytes);

private:
    std::size_t max_;
    std::string pending_{};
    bool discarding_ = false;
};

}  // namespace faxover::faxguest
