// Throughput and latency of the SQLite store with synchronous=FULL on the disk under test, then what
// the integrity check at start costs on a large store.
// Usage: bench_store [directory] [pairs] [audit rows]
//   (default: the system temp directory, 2000 pairs, 1,000,000 audit rows)
// Prints figures for docs/store.md; asserts nothing.
#include "faxover/orchestrator/store/SqliteStore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <fcntl.h>
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

// Grows the store to `rows` audit rows (a busy daemon's years) in large batches, then times a reopen,
// which runs the integrity check (PRAGMA quick_check) before anything else.
int measureOpenOfLargeStore(const std::string& path, int rows) {
    {
        auto opened = store::SqliteStore::open(path);
        if (!opened) { std::fprintf(stderr, "%s\n", opened.error().message.c_str()); return 1; }
        constexpr int kRowsPerBatch = 5000;
        for (int written = 0; written < rows; written += kRowsPerBatch) {
            store::Batch batch;
            for (int i = written; i < std::min(rows, written + kRowsPerBatch); ++i)
                batch.add(store::AppendAudit{{std::chrono::system_clock::now(), "admin:bench", "service fax-" + std::to_string(i % 16),
                                              "suspend", "benchmark row " + std::to_string(i), "accepted"}});
            auto committed = opened.value()->commit(batch);
            if (!committed) { std::fprintf(stderr, "%s\n", committed.error().message.c_str()); return 1; }
        }
    }
    // Cold, as after a reboot: the file's pages leave the page cache first.
    if (const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC); fd >= 0) {
        ::fdatasync(fd);
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        ::close(fd);
    }
    const auto before = Clock::now();
    auto reopened = store::SqliteStore::open(path);
    const double seconds = micros(Clock::now() - before) / 1e6;
    if (!reopened) { std::fprintf(stderr, "%s\n", reopened.error().message.c_str()); return 1; }
    std::printf("open with integrity check, file not in the page cache: %.2f s for %.0f MiB (%d audit rows more)\n", seconds,
                static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0), rows);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::filesystem::path base = argc > 1 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
    const int pairs = argc > 2 ? std::atoi(argv[2]) : 2000;
    const int auditRows = argc > 3 ? std::atoi(argv[3]) : 1000000;
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
    if (exitCode == 0) exitCode = measureOpenOfLargeStore(path, auditRows);
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    return exitCode;
}
