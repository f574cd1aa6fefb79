#include "Hylafax.h"

#include "Run.h"

#include <Poco/Exception.h>
#include <Poco/Net/DialogSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <pwd.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace faxover::faxguest::agent {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr const char* kDefaultSpool = "/var/spool/hylafax";
constexpr const char* kQueues[] = {"sendq", "docq", "doneq", "recvq"};

std::int64_t millisSince(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// A HylaFAX daemon serves the spool its -q names, or the default spool without one.
bool servesSpool(const ProcessInfo& process, const std::string& spool) {
    const auto q = std::find(process.arguments.begin(), process.arguments.end(), "-q");
    if (q == process.arguments.end() || q + 1 == process.arguments.end()) return spool == kDefaultSpool;
    return fs::path(*(q + 1)).lexically_normal() == fs::path(spool).lexically_normal();
}

CheckResult daemonCheck(const std::string& name, const std::string& spool) {
    const auto start = Clock::now();
    CheckResult check{"hylafax." + name, "hylafax", false, "", 0};
    const std::string pids = livePids(name, [&](const ProcessInfo& p) { return servesSpool(p, spool); });
    check.ok = !pids.empty();
    check.detail = check.ok ? pids : name + " is not running for " + spool;
    check.elapsedMs = millisSince(start);
    return check;
}

// True when `user` may list and enter the directory, by its mode bits (the agent runs as root,
// for which access() says yes to everything).
bool readableBy(const struct stat& info, const struct passwd* user) {
    if (user == nullptr) return (info.st_mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH);
    if (user->pw_uid == 0) return true;
    if (info.st_uid == user->pw_uid) return (info.st_mode & (S_IRUSR | S_IXUSR)) == (S_IRUSR | S_IXUSR);
    if (info.st_gid == user->pw_gid) return (info.st_mode & (S_IRGRP | S_IXGRP)) == (S_IRGRP | S_IXGRP);
    return (info.st_mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH);
}

CheckResult queuesCheck(const HylafaxConfig& config) {
    const auto start = Clock::now();
    CheckResult check{"hylafax.queues", "hylafax", true, "", 0};
    const struct passwd* user = ::getpwnam(config.queueUser.c_str());
    std::string problems;
    for (const char* queue : kQueues) {
        const fs::path path = fs::path(config.spool) / queue;
        struct stat info {};
        std::error_code error;
        if (::stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
            problems += std::string(problems.empty() ? "" : "; ") + queue + " is missing or not a directory";
        } else if (fs::directory_iterator(path, error); error) {
            problems += std::string(problems.empty() ? "" : "; ") + queue + " cannot be read: " + error.message();
        } else if (!readableBy(info, user)) {
            problems += std::string(problems.empty() ? "" : "; ") + queue + " is not readable by " + config.queueUser;
        }
    }
    check.ok = problems.empty();
    check.detail = check.ok ? "sendq, docq, doneq, recvq readable" : problems;
    check.elapsedMs = millisSince(start);
    return check;
}

CheckResult schedulerCheck(const HylafaxConfig& config, std::vector<ModemState>& modems) {
    const auto start = Clock::now();
    CheckResult check{"hylafax.scheduler", "hylafax", false, "", 0};
    const RunResult run = runProgram(
        {config.faxstat, "-s", "-h", config.host + ":" + std::to_string(config.port)}, config.timeout);
    static const std::regex running(R"(HylaFAX scheduler on [^:]*: Running)");
    if (run.started && !run.timedOut && run.exitCode == 0 && std::regex_search(run.output, running)) {
        check.ok = true;
        modems = parseModemStates(run.output);
        check.detail = "running, " + std::to_string(modems.size()) + " modem(s) reported";
    } else {
        check.detail = "faxstat -s: " + describe(run, config.timeout);
    }
    check.elapsedMs = millisSince(start);
    return check;
}

}  // namespace

ProtocolAnswer exchangeWithHfaxd(const HylafaxConfig& config) {
    ProtocolAnswer answer;
    const Poco::Timespan timeout(std::chrono::duration_cast<std::chrono::microseconds>(config.timeout).count());
    const std::string where = config.host + ":" + std::to_string(config.port);
    try {
        // The client protocol is FTP-like: a 220 greeting, USER, QUIT (Poco's DialogSocket reads
        // the status replies). A stopped hfaxd still accepts the connection (the kernel's backlog)
        // but never greets: the receive timeout sees it.
        Poco::Net::DialogSocket socket;
        socket.connect(Poco::Net::SocketAddress(config.host, config.port), timeout);
        socket.setReceiveTimeout(timeout);
        socket.setSendTimeout(timeout);
        std::string reply;
        const int greeting = socket.receiveStatusMessage(reply);
        if (greeting != 220) throw Poco::ProtocolException("greeting " + std::to_string(greeting) + ": " + reply);
        static const std::regex version(R"(HylaFAX \(tm\) Version ([^ )]+))");
        std::smatch match;
        if (std::regex_search(reply, match, version)) answer.version = match[1];
        socket.sendMessage("USER", config.user);
        const int user = socket.receiveStatusMessage(reply);
        if (user / 100 != 2 && user / 100 != 3) throw Poco::ProtocolException("USER answered " + reply);
        socket.sendMessage("QUIT");
        const int quit = socket.receiveStatusMessage(reply);
        if (quit != 221) throw Poco::ProtocolException("QUIT answered " + reply);
        answer.ok = true;
        answer.detail = where + " greeted, took USER (" + std::to_string(user) + ") and QUIT";
    } catch (const Poco::TimeoutException&) {
        answer.detail = where + " did not answer within " + std::to_string(config.timeout.count()) + " ms";
    } catch (const Poco::Exception& e) {
        answer.detail = where + ": " + e.displayText();
    }
    return answer;
}

Queues countQueues(const std::string& spool) {
    Queues queues;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(fs::path(spool) / "sendq", error)) {
        const std::string name = entry.path().filename().string();
        if (name.size() < 2 || name[0] != 'q' || name.find_first_not_of("0123456789", 1) != std::string::npos) continue;
        ++queues.outbound;
        std::ifstream job(entry.path());
        std::string line;
        while (std::getline(job, line)) {
            if (line.rfind("state:", 0) == 0) {
                if (line == "state:6") ++queues.active;
                break;
            }
        }
    }
    for (const auto& entry : fs::directory_iterator(fs::path(spool) / "recvq", error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("fax", 0) == 0 && entry.path().extension() == ".tif") ++queues.inbound;
    }
    return queues;
}

std::vector<ModemState> parseModemStates(const std::string& output) {
    std::vector<ModemState> modems;
    static const std::regex line(R"(^Modem ([^ ]+)(?: \([^)]*\))?: (.*)$)");
    std::istringstream in(output);
    std::string text;
    while (std::getline(in, text) && modems.size() < kMaxModems) {
        if (!text.empty() && text.back() == '\r') text.pop_back();
        std::smatch match;
        if (std::regex_match(text, match, line)) modems.push_back({match[1], match[2]});
    }
    return modems;
}

HylafaxStatus checkHylafax(const HylafaxConfig& config) {
    HylafaxStatus status;
    status.checks.push_back(daemonCheck("faxq", config.spool));
    status.checks.push_back(daemonCheck("hfaxd", config.spool));
    const auto start = Clock::now();
    const ProtocolAnswer answer = exchangeWithHfaxd(config);
    status.version = answer.version;
    status.checks.push_back({"hylafax.protocol", "hylafax", answer.ok, answer.detail, millisSince(start)});
    status.checks.push_back(schedulerCheck(config, status.modems));
    status.checks.push_back(queuesCheck(config));
    status.queues = countQueues(config.spool);
    return status;
}

std::string setModemState(const HylafaxConfig& config, const std::string& state) {
    if (config.modems.empty()) return "no modems configured (hylafax.modems)";
    std::string problems;
    for (const std::string& modem : config.modems) {
        Argv argv{config.bin + "/faxstate", "-q", config.spool, "-s", state};
        if (!fs::exists(fs::path(config.spool) / ("FIFO." + modem))) argv.push_back("-n");
        argv.push_back(modem);
        const RunResult run = runProgram(argv, config.timeout);
        if (!run.started || run.timedOut || run.exitCode != 0) {
            problems += (problems.empty() ? "" : "; ") + modem + ": faxstate " + describe(run, config.timeout);
        }
    }
    return problems;
}

std::pair<bool, std::string> sendTestFax(const HylafaxConfig& config) {
    if (config.testFaxNumber.empty() || config.testFaxDocument.empty()) {
        return {false, "no test fax configured (hylafax.test_fax.number and .document)"};
    }
    const RunResult run = runProgram({config.sendfax, "-n", "-h", config.host + ":" + std::to_string(config.port), "-d",
                                      config.testFaxNumber, config.testFaxDocument},
                                     config.timeout * 5);
    const bool ok = run.started && !run.timedOut && run.exitCode == 0;
    return {ok, ok ? run.output.substr(0, run.output.find('\n')) : "sendfax " + describe(run, config.timeout * 5)};
}

}  // namespace faxover::faxguest::agent
