#include "faxover/orchestrator/runtime/EventQueue.h"

namespace faxover::orchestrator::runtime {

EventQueue::EventQueue(Mode mode, const WallClock& wall, EventSinks sinks, std::size_t capacity)
    : mode_(mode), wall_(wall), capacity_(capacity), sinks_(std::move(sinks)) {
    if (mode_ == Mode::Thread) thread_ = std::thread([this] { run(); });
}

EventQueue::~EventQueue() { stop(); }

void EventQueue::deliver(const engine::Event& event) {
    if (mode_ == Mode::Synchronous) {
        pass(event);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        // The notice takes the place of what was lost, so the sinks see the gap where it was.
        if (droppedSinceNotice_ > 0 && queue_.size() < capacity_) {
            queue_.push_back(overflowNotice(droppedSinceNotice_));
            droppedSinceNotice_ = 0;
        }
        if (queue_.size() < capacity_) {
            queue_.push_back(event);
        } else {
            ++droppedSinceNotice_;
            ++droppedTotal_;
        }
    }
    wake_.notify_one();
}

engine::Event EventQueue::overflowNotice(std::uint64_t dropped) const {
    engine::Event notice = engine::Event::about(engine::EventKind::Daemon,
                                                std::to_string(dropped) + " events dropped: the event queue was full (" +
                                                    std::to_string(capacity_) + " events)")
                               .with("dropped", std::to_string(dropped))
                               .warning();
    notice.time = wall_.now();
    return notice;
}

void EventQueue::setSinks(EventSinks sinks) {
    std::lock_guard lock(sinksMutex_);
    sinks_ = std::move(sinks);
}

void EventQueue::pass(const engine::Event& event) {
    std::lock_guard lock(sinksMutex_);
    for (const auto& sink : sinks_) sink->deliver(event);
}

void EventQueue::run() {
    for (;;) {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything given out
        // One at a time: the event being passed still counts against the bound until it is taken.
        engine::Event event = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        pass(event);
    }
}

void EventQueue::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        if (droppedSinceNotice_ > 0) queue_.push_back(overflowNotice(droppedSinceNotice_));
        droppedSinceNotice_ = 0;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
}

std::uint64_t EventQueue::droppedTotal() const {
    std::lock_guard lock(mutex_);
    return droppedTotal_;
}

}  // namespace faxover::orchestrator::runtime
