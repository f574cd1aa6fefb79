// What checking a large policy costs: time and peak memory of loadPolicyFile on policies of 100
// hosts and N services written as the examples are, up to the size cap (kMaxPolicyFileBytes).
// Each size is loaded in a child process of its own, so its peak RSS is its own.
// Usage: bench_policy [directory]   (default: the system temp directory)
// Prints figures for docs/policy.md; asserts nothing.
#include "faxover/policies/PolicyLoader.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

// 100 hosts, then `services` services of three lines each.
std::size_t writePolicy(const std::filesystem::path& path, int services) {
    std::ofstream out(path, std::ios::trunc);
    out << "version: 1\nhosts:\n";
    for (int host = 1; host <= 100; ++host) {
        const std::string address = "10.0." + std::to_string(host / 250) + "." + std::to_string(host % 250 + 1);
        out << "  - name: h" << host << "\n    uri: qemu+tcp://" << address << "/system\n    migration_address: " << address
            << "\n    fence:\n      method: agent\n      command: /usr/sbin/fence_ipmilan\n";
    }
    out << "services:\n";
    for (int service = 0; service < services; ++service)
        out << "  - name: fax-" << service << "\n    domain: fax-" << service << "\n    telephony: sr140\n";
    out.close();
    return std::filesystem::file_size(path);
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path directory = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
    const std::filesystem::path path = directory / ("bench-policy-" + std::to_string(::getpid()) + ".yaml");
    std::printf("%10s %12s %10s %12s  %s\n", "services", "bytes", "seconds", "peak MiB", "result");
    for (int services : {1000, 10000, 30000, 60000, 70000}) {
        const std::size_t bytes = writePolicy(path, services);
        const auto started = std::chrono::steady_clock::now();
        const pid_t child = ::fork();
        if (child == 0) {
            const auto load = faxover::policy::loadPolicyFile(path.string());
            _exit(load.ok() ? 0 : 1);
        }
        int status = 0;
        rusage usage{};
        ::wait4(child, &status, 0, &usage);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const bool loaded = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        std::printf("%10d %12zu %10.2f %12.1f  %s\n", services, bytes, seconds, static_cast<double>(usage.ru_maxrss) / 1024.0,
                    loaded ? "ok" : bytes > faxover::policy::kMaxPolicyFileBytes ? "refused: over the cap" : "FAILED");
    }
    std::filesystem::remove(path);
    return 0;
}
