#pragma once
// Between the decision loop and the event sinks (docs/daemon.md, "Events"). deliver() only queues
// the event (a short lock, never a sink's work), so a slow sink never delays a decision; one thread
// of the queue's own passes the events to the sinks, in order. The queue is bounded: an event that
// finds it full is dropped and counted, and once there is room again an event of severity warning
// takes the dropped events' place, saying how many were lost.
//
// Synchronous mode has no thread: deliver() passes the event to the sinks at once, on the caller's
// thread, so the scenario simulator's logs stay deterministic (nothing is ever dropped).
#include "faxover/orchestrator/ports/EventSink.h"
#include "faxover/orchestrator/runtime/StandardPorts.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace faxover::orchestrator::runtime {

using EventSinks = std::vector<std::shared_ptr<ports::EventSink>>;

class EventQueue final : public ports::EventSink {
public:
    enum class Mode { Thread, Synchronous };
    static constexpr std::size_t kDefaultCapacity = 10000;

    EventQueue(Mode mode, const WallClock& wall, EventSinks sinks = {}, std::size_t capacity = kDefaultCapacity);
    ~EventQueue() override;  // stop()
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    void deliver(const engine::Event& event) override;
    // The sinks the events go to from now on (at start and on SIGHUP). The events already queued go
    // to the new sinks; a sink being given an event finishes that event first.
    void setSinks(EventSinks sinks);
    // Gives what is queued to the sinks, then ends the thread; later events are dropped uncounted.
    void stop();

    std::uint64_t droppedTotal() const;  // since start

private:
    void run();
    void pass(const engine::Event& event);  // to every sink, under sinksMutex_
    engine::Event overflowNotice(std::uint64_t dropped) const;

    const Mode mode_;
    const WallClock& wall_;
    const std::size_t capacity_;
    mutable std::mutex mutex_;  // the queue and the counts
    std::condition_variable wake_;
    std::deque<engine::Event> queue_;
    std::uint64_t droppedSinceNotice_ = 0;
    std::uint64_t droppedTotal_ = 0;
    bool stopping_ = false;
    // The sinks: held while one event is passed to them. Recursive: a sink that reports its own
    // failure delivers to this queue, which in Synchronous mode passes it on at once.
    std::recursive_mutex sinksMutex_;
    EventSinks sinks_;
    std::thread thread_;
};

}  // namespace faxover::orchestrator::runtime
