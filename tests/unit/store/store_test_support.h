#pragma once
// A fresh directory per test for real SQLite files, removed afterwards.
#include "TempDir.h"
#include "faxover/orchestrator/store/SqliteStore.h"

#include <chrono>
#include <string>

namespace store_test {

namespace store = faxover::orchestrator::store;

// A fresh directory per test for the SQLite files (tests/unit/TempDir.h).
struct TempDir : faxover::test::TempDir {
    TempDir() : faxover::test::TempDir("faxover-store-") {}
};

// Whole seconds plus nanoseconds after an arbitrary 2026 epoch: exact round trips.
inline store::TimePoint at(long long seconds, long long nanos = 0) {
    return store::TimePoint(std::chrono::duration_cast<store::TimePoint::duration>(
        std::chrono::seconds(1'790'000'000LL + seconds) + std::chrono::nanoseconds(nanos)));
}

inline store::Intent sampleIntent(const std::string& service, long long second = 0) {
    store::Intent intent;
    intent.service = service;
    intent.action = "live-migrate";
    intent.targetHost = "hv2";
    intent.sourceHost = "hv1";
    intent.parameters = {{"bandwidth", "1000"}, {"mode", "post-copy"}};
    intent.reason = "host hv1 entered maintenance";
    intent.actor = "daemon";
    intent.createdAt = at(second, 123);
    return intent;
}

inline std::unique_ptr<store::SqliteStore> openOrFail(const std::string& path) {
    auto opened = store::SqliteStore::open(path);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(opened).value();
}

}  // namespace store_test
