#include "agent/TokenBucket.h"

#include <catch2/catch.hpp>

using faxover::orchestrator::agent::TokenBucket;
using namespace std::chrono_literals;

TEST_CASE("agent rate: a line costs a token per started 2 KiB, so long garbage is bounded in bytes too", "[agent]") {
    const TokenBucket::Time start{};
    TokenBucket bucket(20, 50);
    CHECK(TokenBucket::costOf(0) == 1);
    CHECK(TokenBucket::costOf(950) == 1);       // a heartbeat
    CHECK(TokenBucket::costOf(2049) == 2);
    CHECK(TokenBucket::costOf(65491) == 32);    // just under the 64 KiB line limit
    CHECK(bucket.take(start, 65491));           // 50 -> 18
    CHECK_FALSE(bucket.take(start, 65491));     // 18 < 32: dropped, nothing spent
    for (int i = 0; i < 18; ++i) CHECK(bucket.take(start, 900));
    CHECK_FALSE(bucket.take(start, 900));
    // A second later 20 tokens came back: not enough for a 64 KiB line, enough for 20 heartbeats.
    CHECK_FALSE(bucket.take(start + 1s, 65491));
    for (int i = 0; i < 20; ++i) CHECK(bucket.take(start + 1s, 900));
    CHECK_FALSE(bucket.take(start + 1s, 900));
    // Over a minute at most 20 x 60 tokens: 37 such lines, about 2.4 MB, not 1,200 (78 MB).
    int longLines = 0;
    for (int ms = 1000; ms <= 61000; ms += 50)
        if (bucket.take(start + std::chrono::milliseconds(ms), 65491)) ++longLines;
    CHECK(longLines <= 38);
    CHECK(longLines >= 36);
}
