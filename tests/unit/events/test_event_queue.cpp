// The bounded queue between the decision loop and the event sinks: order kept, overflow counted
// and reported once there is room, never a wait on a slow sink.
#include "faxover/orchestrator/runtime/EventQueue.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

using namespace faxover::orchestrator;
using namespace std::chrono_literals;

namespace {

// Records what it is given; while held, blocks the queue's thread inside deliver().
class GatedSink final : public ports::EventSink {
public:
    void deliver(const engine::Event& event) override {
        std::unique_lock lock(mutex_);
        entered_ = true;
        changed_.notify_all();
        changed_.wait(lock, [this] { return !held_; });
        seen_.push_back(event);
        changed_.notify_all();
    }
    void hold() {
        std::lock_guard lock(mutex_);
        held_ = true;
    }
    void release() {
        std::lock_guard lock(mutex_);
        held_ = false;
        changed_.notify_all();
    }
    bool waitEntered() {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 5s, [this] { return entered_; });
    }
    std::vector<engine::Event> waitFor(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 5s, [&] { return seen_.size() >= count; });
        return seen_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool held_ = false;
    bool entered_ = false;
    std::vector<engine::Event> seen_;
};

engine::Event numbered(int number) { return engine::Event::aboutHost("h1", "event " + std::to_string(number)); }

const runtime::SystemWallClock kWall{};

}  // namespace

TEST_CASE("the event queue gives every event to every sink in order", "[events]") {
    auto first = std::make_shared<GatedSink>();
    auto second = std::make_shared<GatedSink>();
    runtime::EventQueue queue(runtime::EventQueue::Mode::Thread, kWall, {first, second});
    for (int i = 0; i < 100; ++i) queue.deliver(numbered(i));
    for (const auto& sink : {first, second}) {
        const auto seen = sink->waitFor(100);
        REQUIRE(seen.size() == 100);
        for (int i = 0; i < 100; ++i) CHECK(seen[static_cast<std::size_t>(i)].message == "event " + std::to_string(i));
    }
    CHECK(queue.droppedTotal() == 0);
}

TEST_CASE("a full event queue drops and counts, then reports the loss where it happened", "[events]") {
    auto sink = std::make_shared<GatedSink>();
    sink->hold();
    runtime::EventQueue queue(runtime::EventQueue::Mode::Thread, kWall, {sink}, 3);
    queue.deliver(numbered(0));
    REQUIRE(sink->waitEntered());  // event 0 is taken: the queue is empty, the sink is stuck
    const auto before = std::chrono::steady_clock::now();
    for (int i = 1; i <= 6; ++i) queue.deliver(numbered(i));  // 1..3 fit, 4..6 do not
    CHECK(std::chrono::steady_clock::now() - before < 1s);   // never waited for the sink
    CHECK(queue.droppedTotal() == 3);
    sink->release();
    REQUIRE(sink->waitFor(4).size() == 4);
    queue.deliver(numbered(7));  // room again: the notice first, then the event
    const auto seen = sink->waitFor(6);
    REQUIRE(seen.size() == 6);
    std::vector<std::string> lines;
    for (const auto& event : seen) lines.push_back(event.text());
    CHECK(lines == std::vector<std::string>{"host h1: event 0", "host h1: event 1", "host h1: event 2",
                                            "host h1: event 3",
                                            "daemon: 3 events dropped: the event queue was full (3 events)",
                                            "host h1: event 7"});
    CHECK(seen[4].severity == engine::Severity::Warning);
    CHECK(*seen[4].field("dropped") == "3");
    CHECK(queue.droppedTotal() == 3);
}

TEST_CASE("stopping the event queue hands over what is queued and the loss not yet reported", "[events]") {
    auto sink = std::make_shared<GatedSink>();
    sink->hold();
    runtime::EventQueue queue(runtime::EventQueue::Mode::Thread, kWall, {sink}, 1);
    queue.deliver(numbered(0));
    REQUIRE(sink->waitEntered());
    queue.deliver(numbered(1));
    queue.deliver(numbered(2));  // dropped
    sink->release();
    queue.stop();
    const auto seen = sink->waitFor(3);
    REQUIRE(seen.size() == 3);
    CHECK(seen[1].message == "event 1");
    CHECK(seen[2].message == "1 events dropped: the event queue was full (1 events)");
}

TEST_CASE("the synchronous event queue delivers before deliver returns, and sinks can be replaced", "[events]") {
    auto first = std::make_shared<GatedSink>();
    auto second = std::make_shared<GatedSink>();
    runtime::EventQueue queue(runtime::EventQueue::Mode::Synchronous, kWall, {first}, 1);
    queue.deliver(numbered(0));
    queue.deliver(numbered(1));
    CHECK(first->waitFor(0).size() == 2);
    queue.setSinks({second});
    queue.deliver(numbered(2));
    CHECK(first->waitFor(0).size() == 2);
    REQUIRE(second->waitFor(0).size() == 1);
    CHECK(second->waitFor(0).front().message == "event 2");
    CHECK(queue.droppedTotal() == 0);
}

TEST_CASE("an event's subject and names come from one table each", "[events]") {
    CHECK(engine::Event::aboutBoard("h1", "0000:03:00.0", "reserved").text() == "board h1 0000:03:00.0: reserved");
    CHECK(engine::Event::aboutLicence("fax1", "grant").text() == "licence fax1: grant");
    CHECK(engine::Event::aboutService("fax-a", "ok").with("state", "ok").alert().text() == "service fax-a: ok");
    CHECK(engine::Event::about(engine::EventKind::Store, "full").text() == "store: full");
    CHECK(std::string(engine::toString(engine::EventKind::Licence)) == "licence");
    CHECK(std::string(engine::toString(engine::Severity::Alert)) == "alert");
}
