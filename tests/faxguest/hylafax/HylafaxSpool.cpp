#include "HylafaxSpool.h"

#include "Run.h"

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace faxover::faxguest::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kFaxq = "/usr/sbin/faxq";    // daemons: real binaries, not Debian's wrappers
constexpr const char* kHfaxd = "/usr/sbin/hfaxd";
constexpr const char* kFaxmodem = "/usr/lib/hylafax/bin/faxmodem";
constexpr const char* kSendfax = "/usr/bin/sendfax";

void chownTree(const fs::path& root, uid_t uid, gid_t gid) {
    if (::chown(root.c_str(), uid, gid) != 0) throw std::runtime_error("cannot chown " + root.string());
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (::lchown(entry.path().c_str(), uid, gid) != 0) {
            throw std::runtime_error("cannot chown " + entry.path().string());
        }
    }
}

}  // namespace

std::uint16_t freePort() {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    return probe.address().port();
}

bool connectWithin(Poco::Net::StreamSocket& socket, std::uint16_t port, std::chrono::milliseconds patience) {
    return eventually(
        [&] {
            try {
                socket.connect(Poco::Net::SocketAddress("127.0.0.1", port));
                return true;
            } catch (const Poco::Exception&) {
                return false;
            }
        },
        patience);
}

HylafaxSpool::HylafaxSpool() {
    if (::geteuid() != 0) throw std::runtime_error("the HylaFAX tests need root (faxq and hfaxd run as uucp)");
    for (const char* program : {kFaxq, kHfaxd, kFaxmodem, kSendfax, "/usr/bin/faxstat", "/usr/lib/hylafax/bin/faxstate"}) {
        if (::access(program, X_OK) != 0) {
            throw std::runtime_error(std::string("the HylaFAX tests need Debian's hylafax-server: ") + program +
                                     " is missing (./setup.sh installs it)");
        }
    }
    const struct passwd* uucp = ::getpwnam("uucp");
    if (uucp == nullptr) throw std::runtime_error("the HylaFAX tests need the user uucp");

    const fs::path root = dir_.path();
    for (const char* folder : {"archive", "client", "config", "dev", "docq", "doneq", "info", "log", "pollq", "recvq",
                               "sendq", "status", "tmp"}) {
        fs::create_directory(root / folder);
    }
    fs::copy("/etc/hylafax", root / "etc", fs::copy_options::recursive);
    fs::copy("/var/spool/hylafax/bin", root / "bin", fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    const fs::path sender = root / "fakesend";
    std::ofstream(sender) << "#!/bin/sh\n"
                          << "echo \"$@\" >> " << (root / "sent.log").string() << "\n"
                          << "[ -f " << (root / "slow").string() << " ] && sleep 4\n"
                          << "exit 0\n";
    fs::permissions(sender, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    std::ofstream(root / "etc" / "config", std::ios::app) << "SendFaxCmd: " << sender.string() << "\n";
    std::ofstream(root / "sent.log").flush();
    std::ofstream(root / "doc.txt") << "Faxover guest agent test page\n";
    chownTree(root, uucp->pw_uid, uucp->pw_gid);
    fs::permissions(root / "tmp", fs::perms::all | fs::perms::sticky_bit);
    fs::permissions(root / "sent.log", fs::perms::all);

    port_ = freePort();
    faxq_ = start({kFaxq, "-D", "-q", spool()});
    if (!eventually([&] { return fs::exists(root / "FIFO"); }, 10s)) throw std::runtime_error("faxq did not make its FIFO");
    hfaxd_ = start({kHfaxd, "-d", "-q", spool(), "-l", "127.0.0.1", "-i", std::to_string(port_)});
    Poco::Net::StreamSocket probe;
    const bool listening = connectWithin(probe, port_, 10s);
    probe.close();
    if (!listening) throw std::runtime_error("hfaxd does not listen on port " + std::to_string(port_));
    // hfaxd served the probe in a child of its own: wait until it is gone, so that the test sees
    // only the daemon it started.
    if (!eventually([&] { return ownProcesses().size() == 2; }, 10s)) {
        throw std::runtime_error("more than faxq and hfaxd still run on the spool");
    }
    const agent::RunResult modem = agent::runProgram({kFaxmodem, "-q", spool(), kModem}, 10s);
    if (!modem.started || modem.exitCode != 0) {
        throw std::runtime_error("faxmodem " + std::string(kModem) + ": " + agent::describe(modem, 10s));
    }
}

HylafaxSpool::~HylafaxSpool() {
    for (const pid_t group : groups_) {
        ::kill(-group, SIGCONT);
        ::kill(-group, SIGKILL);
        int status = 0;
        ::waitpid(group, &status, 0);
    }
    // What the daemons started outside their groups (hfaxd's per-connection children) names this
    // test's unique spool on its command line.
    for (const pid_t pid : ownProcesses()) ::kill(pid, SIGKILL);
}

std::vector<pid_t> HylafaxSpool::ownProcesses() const {
    std::vector<pid_t> pids;
    for (const char* name : {"faxq", "hfaxd", "faxsend", "fakesend"}) {
        for (const agent::ProcessInfo& process : agent::findProcesses(name)) {
            if (process.state == 'Z') continue;
            for (const std::string& argument : process.arguments) {
                if (argument == spool()) pids.push_back(process.pid);
            }
        }
    }
    return pids;
}

pid_t HylafaxSpool::start(const std::vector<std::string>& argv) {
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::setpgid(0, 0);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    ::setpgid(pid, pid);
    groups_.push_back(pid);
    return pid;
}

void HylafaxSpool::kill(pid_t pid) {
    ::kill(-pid, SIGKILL);  // its group: hfaxd's per-connection children too
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::erase(groups_, pid);  // reaped: its number may be reused, so never signalled again
}

std::string HylafaxSpool::submit(const std::string& number) const {
    const agent::RunResult run = agent::runProgram(
        {kSendfax, "-n", "-h", "127.0.0.1:" + std::to_string(port_), "-d", number, spool() + "/doc.txt"}, 20s);
    if (!run.started || run.exitCode != 0) throw std::runtime_error("sendfax: " + agent::describe(run, 20s));
    const std::size_t at = run.output.find("request id is ");
    if (at == std::string::npos) throw std::runtime_error("sendfax said: " + run.output);
    std::istringstream words(run.output.substr(at + 14));
    std::string id;
    words >> id;
    return id;
}

std::string HylafaxSpool::sentLog() const {
    std::ifstream in(dir_.path() / "sent.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace faxover::faxguest::test
