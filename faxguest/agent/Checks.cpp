#include "Checks.h"

#include "Run.h"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace faxover::faxguest::agent {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string firstLine(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

void processCheck(const CheckConfig& config, CheckResult& check) {
    const std::string pids = livePids(config.process);
    check.ok = !pids.empty();
    check.detail = check.ok ? pids : config.process + " is not running";
}

void tcpCheck(const CheckConfig& config, CheckResult& check) {
    const std::string where = config.host + ":" + std::to_string(config.port);
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(Poco::Net::SocketAddress(config.host, config.port),
                       Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(config.timeout).count()));
        check.ok = true;
        check.detail = where + " accepted a connection";
    } catch (const Poco::Exception& e) {
        check.detail = where + ": " + e.displayText();
    }
}

void commandCheck(const CheckConfig& config, CheckResult& check) {
    const RunResult run = runProgram(config.command, config.timeout);
    check.ok = run.started && !run.timedOut && run.exitCode == 0;
    check.detail = describe(run, config.timeout);
}

}  // namespace

CheckResult runCheck(const CheckConfig& config) {
    const auto start = Clock::now();
    CheckResult check{config.name, "", false, "", 0};
    switch (config.kind) {
        case CheckConfig::Kind::Process:
            check.kind = "process";
            processCheck(config, check);
            break;
        case CheckConfig::Kind::Tcp:
            check.kind = "tcp";
            tcpCheck(config, check);
            break;
        case CheckConfig::Kind::Command:
            check.kind = "command";
            commandCheck(config, check);
            break;
    }
    check.elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    return check;
}

Telephony seeTelephony(const TelephonyConfig& config) {
    Telephony telephony;
    std::error_code error;
    std::vector<fs::path> devices;
    for (const auto& entry : fs::directory_iterator(config.pciRoot, error)) devices.push_back(entry.path());
    std::sort(devices.begin(), devices.end());
    for (const fs::path& device : devices) {
        const std::string vendor = lowercase(firstLine(device / "vendor"));
        const bool board = std::any_of(config.boardVendors.begin(), config.boardVendors.end(),
                                       [&](const std::string& wanted) { return lowercase(wanted) == vendor; });
        if (board && telephony.boards.size() < kMaxBoards) {
            telephony.boards.push_back({device.filename().string(), vendor, lowercase(firstLine(device / "device"))});
        }
    }
    telephony.sr140 = !config.sr140.empty() && fs::exists(config.sr140, error);
    telephony.softModem = !config.softModem.empty() && fs::exists(config.softModem, error);
    return telephony;
}

std::int64_t ownRssKiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            try {
                return std::stoll(line.substr(6));
            } catch (const std::exception&) {
                return 0;
            }
        }
    }
    return 0;
}

}  // namespace faxover::faxguest::agent
