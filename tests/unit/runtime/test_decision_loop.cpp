#include "faxover/orchestrator/runtime/DecisionLoop.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

using faxover::orchestrator::runtime::DecisionLoop;
using namespace std::chrono_literals;

TEST_CASE("decision loop: work runs in the order it was posted, on one thread that is not the poster's",
          "[runtime][decision-loop]") {
    DecisionLoop loop(DecisionLoop::Mode::Thread);
    std::vector<int> order;  // only the loop's thread touches it until the barrier
    std::atomic<bool> onPoster{false};
    const auto poster = std::this_thread::get_id();
    for (int i = 0; i < 100; ++i)
        REQUIRE(loop.post([&, i] {
            order.push_back(i);
            if (std::this_thread::get_id() == poster) onPoster = true;
        }));
    const auto barrier = loop.call([] { return true; }, DecisionLoop::kNoBound);
    REQUIRE(barrier.value);
    REQUIRE(order.size() == 100);
    for (int i = 0; i < 100; ++i) CHECK(order[i] == i);
    CHECK_FALSE(onPoster);
}

TEST_CASE("decision loop: a call waits for its answer; from the loop's own thread it runs at once",
          "[runtime][decision-loop]") {
    DecisionLoop loop(DecisionLoop::Mode::Thread);
    const auto answer = loop.call([&] { return loop.call([] { return 41; }, 1s).value.value_or(0) + 1; }, 5s);
    REQUIRE(answer.value);
    CHECK(*answer.value == 42);
    CHECK(answer.started);
}

TEST_CASE("decision loop: a call that runs out of time before its turn never runs; one under way says so",
          "[runtime][decision-loop]") {
    DecisionLoop loop(DecisionLoop::Mode::Thread);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> busy;
    loop.post([&busy, released] {
        busy.set_value();
        released.wait();
    });
    busy.get_future().wait();
    std::atomic<bool> ran{false};
    std::atomic<bool> abandoned{false};
    const auto start = std::chrono::steady_clock::now();
    const auto late = loop.call([&] { ran = true; return 1; }, 100ms, [&] { abandoned = true; });
    CHECK(std::chrono::steady_clock::now() - start < 2s);
    CHECK_FALSE(late.value);
    CHECK_FALSE(late.started);
    release.set_value();
    REQUIRE(loop.call([] { return true; }, DecisionLoop::kNoBound).value);
    CHECK_FALSE(ran);
    CHECK(abandoned);

    std::promise<void> slow;
    std::shared_future<void> slowDone = slow.get_future().share();
    const auto underWay = loop.call([slowDone] { slowDone.wait(); return 2; }, 100ms);
    CHECK_FALSE(underWay.value);
    CHECK(underWay.started);
    slow.set_value();
}

TEST_CASE("decision loop: after stop nothing is taken, and a call answers at once", "[runtime][decision-loop]") {
    DecisionLoop loop(DecisionLoop::Mode::Thread);
    loop.stop();
    std::atomic<bool> ran{false};
    CHECK_FALSE(loop.post([&] { ran = true; }));
    const auto start = std::chrono::steady_clock::now();
    CHECK_FALSE(loop.call([&] { ran = true; return 1; }, 5s).value);
    CHECK(std::chrono::steady_clock::now() - start < 1s);
    CHECK_FALSE(ran);
}

TEST_CASE("decision loop: in manual mode queued work runs only when the owner runs it, to the end",
          "[runtime][decision-loop]") {
    DecisionLoop loop(DecisionLoop::Mode::Manual);
    std::vector<int> order;
    loop.post([&] {
        order.push_back(1);
        loop.post([&] { order.push_back(3); });
    });
    loop.post([&] { order.push_back(2); });
    CHECK(order.empty());
    CHECK(loop.runUntilIdle() == 3);
    CHECK(order == std::vector<int>{1, 2, 3});
    // A call runs what was queued before it, then itself, on the caller's thread.
    loop.post([&] { order.push_back(4); });
    const auto answer = loop.call([&] { return order.size(); }, 1s);
    REQUIRE(answer.value);
    CHECK(*answer.value == 4);
}

TEST_CASE("decision loop: offer turns work away once the capacity waits, post never does",
          "[runtime][decision-loop]") {
    DecisionLoop loop(DecisionLoop::Mode::Manual, 2);
    int ran = 0;
    CHECK(loop.offer([&] { ++ran; }));
    CHECK(loop.offer([&] { ++ran; }));
    CHECK(loop.full());
    CHECK_FALSE(loop.offer([&] { ran += 100; }));
    CHECK(loop.post([&] { ++ran; }));  // outcomes and barriers are never turned away
    CHECK(loop.runUntilIdle() == 3);
    CHECK(ran == 3);
    CHECK_FALSE(loop.full());
    CHECK(loop.offer([&] { ++ran; }));
    CHECK(loop.runUntilIdle() == 1);
    CHECK(ran == 4);
}
