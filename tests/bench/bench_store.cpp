// Throughput and latency of the SQLite store with synchronous=FULL on the disk under test.
// Usage: bench_store [directory] [pairs]   (default: the system temp directory, 2000 pairs)
// Prints figures for docs/store.md; asserts nothing.
#include "faxover/orchestrator/store/SqliteStore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace store = faxover::orchestrator::store;
using Clock = std::chrono::steady_clock;

namespace {

double micros(Clock::duration duration) {
    return std::chrono::duration<double, std::micro>(duration).count();
}

store::Intent benchIntent(int sequence) {
    store::Intent intent;
    intent.service = "fax-" + std::to_string(sequence % 16);
    intent.action = "live-migrate";
    intent.targetHost = "hv2";
    intent.sourceHost = "hv1";
    intent.parameters = {{"bandwidth", "1000"}, {"sequence", std::to_string(sequence)}};
    intent.reason = "benchmark";
    intent.actor = "daemon";
    intent.createdAt = std::chrono::system_clock::now();
    return intent;
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path base = argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
    const int pairs = argc > 2 ? std::atoi(argv[2]) : 2000;
    const std::filesystem::path directory = base / ("faxover-bench-store-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory);
    const std::string path = (directory / "bench.db").string();

    int exitCode = 0;
    {
        auto opened = store::SqliteStore::open(path);
        if (!opened) {
            std::fprintf(stderr, "%s\n", opened.error().message.c_str());
            exitCode = 1;
        } else {
            auto& db = *opened.value();
            std::vector<double> appendLatencies;
            appendLatencies.reserve(static_cast<std::size_t>(pairs));
            const auto start = Clock::now();
            for (int i = 0; i < pairs; ++i) {
                const auto before = Clock::now();
                auto id = db.appendIntent(benchIntent(i));
                appendLatencies.push_back(micros(Clock::now() - before));
                if (!id) { std::fprintf(stderr, "%s\n", id.error().message.c_str()); exitCode = 1; break; }
                auto outcome = db.recordOutcome(id.value(), store::Outcome{store::OutcomeStatus::Succeeded, "done",
                                                                           std::chrono::system_clock::now()});
                if (!outcome) { std::fprintf(stderr, "%s\n", outcome.error().message.c_str()); exitCode = 1; break; }
            }
            const double seconds = micros(Clock::now() - start) / 1e6;
            std::sort(appendLatencies.begin(), appendLatencies.end());
            if (!appendLatencies.empty()) {
                const auto percentile = [&](double p) {
                    return appendLatencies[std::min(appendLatencies.size() - 1,
                                                    static_cast<std::size_t>(p * static_cast<double>(appendLatencies.size())))];
                };
                std::printf("store %s, synchronous=FULL, WAL\n", path.c_str());
                std::printf("%zu intent+outcome pairs in %.2f s: %.0f pairs/s\n", appendLatencies.size(), seconds,
                            static_cast<double>(appendLatencies.size()) / seconds);
                std::printf("appendIntent latency: median %.0f us, p99 %.0f us, max %.0f us\n", percentile(0.5),
                            percentile(0.99), appendLatencies.back());
            }
        }
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    return exitCode;
}
