#pragma once
// The runtime's one deciding thread (docs/daemon.md, "What runs"): a queue of work that a single
// thread takes in order. The thread that runs the queue owns the runtime's state; every other thread
// (the monitor loop, libvirt's event thread, the executors, the API handlers, the signal handler)
// posts to it and returns, or posts and waits for an answer with a bound.
//
// Boost.Asio underneath: an io_context run by one thread. In Manual mode there is no thread: the
// owner runs what is queued on its own thread (runUntilIdle), which keeps the scenario simulator
// deterministic.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <type_traits>

namespace faxover::orchestrator::runtime {

// What a bounded wait for the loop ended with: the answer, or none (`started` tells whether the
// work began: if it did not, it never will, nothing was done).
template <class T>
struct LoopAnswer {
    std::optional<T> value{};
    bool started = false;
};

class DecisionLoop {
public:
    enum class Mode { Thread, Manual };
    // A day: for waits that must see the answer (resume, a barrier).
    static constexpr std::chrono::milliseconds kNoBound = std::chrono::hours(24);
    // How much work may wait before offer() turns work away (docs/daemon.md, "What runs").
    static constexpr std::size_t kDefaultCapacity = 1000;

    explicit DecisionLoop(Mode mode, std::size_t capacity = kDefaultCapacity);
    ~DecisionLoop();  // stop()
    DecisionLoop(const DecisionLoop&) = delete;
    DecisionLoop& operator=(const DecisionLoop&) = delete;

    // Queues `work` and returns at once; false once stopped (the work is dropped). Always queues:
    // for work that must not be lost (action outcomes, reloads, barriers).
    bool post(std::function<void()> work);
    // As post(), but false, and nothing queued, when `capacity` pieces of work wait already: for
    // work the next round brings again (monitor readings) or a caller can be told to retry.
    bool offer(std::function<void()> work);
    bool full() const { return waiting_.load() >= capacity_; }
    std::size_t capacity() const { return capacity_; }

    // Runs `work` on the loop and waits at most `bound` for its result (the caller's thread, when it
    // is the loop's, runs it at once). A wait that runs out takes the work back if it has not begun:
    // then it never runs, and `onAbandoned`, when given, runs on the loop instead when its turn
    // comes. `work` must own what it uses: it may still run after the caller gave up.
    template <class F>
    LoopAnswer<std::invoke_result_t<F&>> call(F work, std::chrono::milliseconds bound,
                                              std::function<void()> onAbandoned = {});

    // Manual mode: runs what is queued (and what that queues) on the caller's thread until nothing is
    // left; returns how many ran. Thread mode: 0.
    std::size_t runUntilIdle();

    bool onLoopThread() const { return context_.get_executor().running_in_this_thread(); }
    bool stopped() const { return stopped_.load(); }
    // Nothing is taken after it returns: the work running finishes, the thread is joined, what is
    // still queued is dropped. Never call it from the loop's own thread.
    void stop();

private:
    enum Phase : int { Queued, Taken, Abandoned };
    Mode mode_;
    std::size_t capacity_;
    std::atomic<std::size_t> waiting_{0};  // posted, not yet begun
    mutable boost::asio::io_context context_{1};  // mutable: asking whether this thread runs it
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
    std::atomic<bool> stopped_{false};
    std::thread thread_;
};

template <class F>
LoopAnswer<std::invoke_result_t<F&>> DecisionLoop::call(F work, std::chrono::milliseconds bound,
                                                        std::function<void()> onAbandoned) {
    using T = std::invoke_result_t<F&>;
    if (onLoopThread()) return {work(), true};
    auto phase = std::make_shared<std::atomic<int>>(Queued);
    auto promise = std::make_shared<std::promise<T>>();
    std::future<T> future = promise->get_future();
    const bool queued = post([phase, promise, work = std::move(work), onAbandoned = std::move(onAbandoned)]() mutable {
        int expected = Queued;
        if (!phase->compare_exchange_strong(expected, Taken)) {
            if (onAbandoned) onAbandoned();
            return;
        }
        try {
            promise->set_value(work());
        } catch (...) {
            promise->set_exception(std::current_exception());
        }
    });
    if (!queued) return {};
    runUntilIdle();
    if (future.wait_for(bound) != std::future_status::ready) {
        int expected = Queued;
        if (phase->compare_exchange_strong(expected, Abandoned)) return {};
        return {std::nullopt, true};
    }
    try {
        return {future.get(), true};
    } catch (const std::future_error&) {  // dropped by stop() before it ran
        return {};
    }
}

}  // namespace faxover::orchestrator::runtime
