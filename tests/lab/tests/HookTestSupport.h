#pragma once
// Pieces of the hook and lock-manager lab tests (docs/hook.md): enrolling a lab host with the qemu
// hook for one test, starting a domain and reading libvirt's refusal, times for override lines.
#include "DaemonProcess.h"
#include "LabTestSupport.h"

#include <Poco/Net/ServerSocket.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace faxover::labtest {

// Where the hook keeps its files inside a lab host (its defaults, see hypervisor/hook/Config.h).
inline constexpr const char* kHookInHost = "/etc/libvirt/hooks/qemu";
inline constexpr const char* kHookConfigInHost = "/etc/libvirt/hooks/faxover-hook.conf";
inline constexpr const char* kOverrideInHost = "/etc/libvirt/hooks/faxover-override.conf";
inline constexpr const char* kCacheInHost = "/var/lib/libvirt/faxover/protected";
inline constexpr const char* kHookLogInHost = "/var/log/libvirt/faxover-hook.log";

inline std::string readText(const std::string& path) {
    std::ifstream file(path);
    return std::string(std::istreambuf_iterator<char>(file), {});
}

inline void writeText(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream file(path, std::ios::trunc);
    file << text;
    REQUIRE(file.good());
}

// "2026-11-22T13:05:00Z", `offset` from now.
inline std::string isoUtc(std::chrono::seconds offset) {
    const std::time_t when = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
    std::tm parts{};
    gmtime_r(&when, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

// A TCP port nobody listens on at `address` now (the kernel's pick for an ephemeral bind).
inline int freePort(const std::string& address) {
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress(address, 0));
    const int port = probe.address().port();
    probe.close();
    return port;
}

// Enrols a lab host with the qemu hook for the lifetime of the object: writes its faxover-hook.conf;
// the destructor removes the configuration, the protected-domain cache and the override file, so the
// host is back to "not enrolled" for the next test whether this one passed or not. The hook's log
// stays (post-mortems); log() returns only what was written since the enrolment.
class EnrolledHost {
public:
    // `extraConfig`: more faxover-hook.conf lines (e.g. "planned_kind = reboot\n").
    EnrolledHost(const lab::Lab& lab, std::string host, const std::string& orchestrator, int timeoutMs = 1000,
                 const std::string& extraConfig = "")
        : lab_(lab), host_(std::move(host)) {
        const std::string hook = lab_.hostPath(host_, kHookInHost);
        INFO("the lab host " << host_ << " has no qemu hook at " << hook
                             << ": build the target faxover-libvirt-hook (faxover-lab up installs it; FAXLAB_HOOK)");
        REQUIRE(std::filesystem::exists(hook));
        logOffset_ = readText(path(kHookLogInHost)).size();
        writeText(path(kHookConfigInHost), "# written by a Faxover lab test\norchestrator = " + orchestrator +
                                               "\nhost = " + host_ + "\ntimeout_ms = " + std::to_string(timeoutMs) +
                                               "\n" + extraConfig);
    }
    ~EnrolledHost() {
        std::error_code ignored;
        for (const char* file : {kHookConfigInHost, kCacheInHost, kOverrideInHost})
            std::filesystem::remove(path(file), ignored);
    }
    EnrolledHost(const EnrolledHost&) = delete;
    EnrolledHost& operator=(const EnrolledHost&) = delete;

    std::string path(const char* inHost) const { return lab_.hostPath(host_, inHost); }
    void seedCache(const std::string& text) const { writeText(path(kCacheInHost), text); }
    void writeOverride(const std::string& text) const { writeText(path(kOverrideInHost), text); }
    std::string cache() const { return readText(path(kCacheInHost)); }
    std::string log() const { return readText(path(kHookLogInHost)).substr(logOffset_); }

private:
    const lab::Lab& lab_;
    std::string host_;
    std::size_t logOffset_ = 0;
};

// Starts `domain` on `host` through the hypervisor layer: "" when it started, else the error message
// (for a hook refusal it carries the hook's stderr, as libvirt reports it).
inline std::string startError(LabSession& session, const std::string& host, const std::string& domain) {
    auto started = session.hypervisor->startDomain(host, domain);
    return started ? std::string() : started.error().message;
}

// Defines `xml` on `host` without starting it; the guard destroys and undefines `name` everywhere.
inline std::unique_ptr<OnExit> defineGuest(LabSession& session, const std::string& host, const std::string& xml,
                                           const std::string& name) {
    auto defined = session.hypervisor->defineDomain(host, xml);
    INFO((defined ? std::string() : defined.error().message));
    REQUIRE(defined);
    return std::make_unique<OnExit>([&session, name] {
        for (const auto& each : session.hypervisor->hosts()) {
            (void)session.hypervisor->destroyDomain(each, name);
            (void)session.hypervisor->undefineDomain(each, name);
        }
    });
}

// Defines on `to` the domain `name` exactly as `from` has it (same UUID): the same VM, seen by two hosts.
inline void copyDefinition(LabSession& session, const std::string& from, const std::string& to,
                           const std::string& name) {
    auto xml = session.hypervisor->domainXml(from, name);
    REQUIRE(xml);
    auto defined = session.hypervisor->defineDomain(to, xml.value());
    INFO((defined ? std::string() : defined.error().message));
    REQUIRE(defined);
}

inline bool isRunning(LabSession& session, const std::string& host, const std::string& domain) {
    auto info = session.hypervisor->domainInfo(host, domain);
    return info && info.value().active();
}

// A protected guest on lab1 under a real daemon with a hook listener, every lab host enrolled with
// that daemon. Members go in reverse order: hosts unenrolled, daemon stopped, lab1 restored, guest
// removed.
struct EnrolledCluster {
    explicit EnrolledCluster(const std::string& domain)
        : guest(runGuest(session, host, lab::Guest::Diskless, domain)),
          restore([this] {
              session.lab.powerOn(host);
              (void)eventually([&] { return isReachable(*session.hypervisor, host); }, 15s);
          }),
          daemon(session.lab, domain) {
        daemon.addArguments({"--hook-listen", listen});
        daemon.start();
        REQUIRE(eventually([&] { return daemon.serviceState() == "ok" && daemon.serviceHost() == host; }, 10s));
        for (const auto& each : session.lab.hosts())
            enrolled.push_back(std::make_unique<EnrolledHost>(session.lab, each.name, "http://" + listen));
    }
    // Waits until the daemon runs the service elsewhere; then the new host's hook must have asked
    // the daemon and been allowed. Returns how long it waited.
    std::chrono::steady_clock::duration requireMovedThroughHook(const std::string& domain) {
        const auto started = std::chrono::steady_clock::now();
        const bool moved = eventually(
            [&] {
                return daemon.serviceState() == "ok" && !daemon.serviceHost().empty() && daemon.serviceHost() != host;
            },
            40s);
        const auto took = std::chrono::steady_clock::now() - started;
        INFO(daemon.log());
        REQUIRE(moved);
        for (std::size_t i = 0; i < session.lab.hosts().size(); ++i) {
            if (session.lab.host(i).name != daemon.serviceHost()) continue;
            CHECK_THAT(enrolled[i]->log(),
                       Catch::Matchers::Contains(domain) &&
                           Catch::Matchers::Contains("allowed (orchestrator http://" + listen + ")"));
        }
        return took;
    }

    LabSession session;
    const std::string host = session.hostName(0);
    const std::string listen = "198.18.0.1:" + std::to_string(freePort("198.18.0.1"));
    std::unique_ptr<OnExit> guest;
    OnExit restore;
    lab::DaemonProcess daemon;
    std::vector<std::unique_ptr<EnrolledHost>> enrolled;
};

}  // namespace faxover::labtest
