#pragma once
// The standard implementations of the runtime's ports (ports/Executor.h, WallClock.h, EventSink.h):
// a real one for the daemon and a deterministic one for the scenario simulator.
#include "faxover/hypervisor/Clock.h"
#include "faxover/orchestrator/engine/Event.h"
#include "faxover/orchestrator/ports/EventSink.h"
#include "faxover/orchestrator/ports/Executor.h"
#include "faxover/orchestrator/ports/WallClock.h"

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>

namespace faxover::orchestrator::runtime {

using ports::Executor;
using ports::WallClock;
using ports::WallTime;

// The daemon's: a fixed pool (Boost.Asio). The daemon has two, one for fences and one for the rest
// (RuntimePorts), so a slow fence agent never delays a migration, nor a long migration a fence.
class ThreadPoolExecutor final : public Executor {
public:
    explicit ThreadPoolExecutor(std::size_t threads);
    ~ThreadPoolExecutor() override;  // waits for running work
    void submit(std::function<void()> work) override;

private:
    boost::asio::thread_pool pool_;
};

// The simulator's: work waits until runAll(), which runs it in submission order (work submitted
// while running included), on the caller's thread. Deterministic.
class QueuedExecutor final : public Executor {
public:
    void submit(std::function<void()> work) override;
    std::size_t runAll();  // returns how many ran
    bool runOne();         // the oldest work, if any: false when there was none

private:
    std::mutex mutex_;
    std::deque<std::function<void()>> queue_;
};

class SystemWallClock final : public WallClock {
public:
    WallTime now() const override { return std::chrono::system_clock::now(); }
};

// Wall time that follows a ManualClock from a fixed start, for simulations.
class ManualWallClock final : public WallClock {
public:
    ManualWallClock(const hv::ManualClock& clock, WallTime start) : clock_(clock), start_(start), origin_(clock.now()) {}
    WallTime now() const override {
        return start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(clock_.now() - origin_);
    }

private:
    const hv::ManualClock& clock_;
    WallTime start_;
    hv::TimePoint origin_;
};

// The state log: one line per event, "<time> <subject>: <message>", alerts as
// "<time> ALERT <subject>: <message>", warnings as "<time> WARNING <subject>: <message>". The
// event's time is formatted by the caller's function: ISO 8601 in the daemon, seconds since start
// in scenarios.
class StateLogSink final : public ports::EventSink {
public:
    StateLogSink(std::ostream& out, std::function<std::string(WallTime)> timestamp)
        : out_(out), timestamp_(std::move(timestamp)) {}
    void deliver(const engine::Event& event) override;

private:
    std::mutex mutex_;
    std::ostream& out_;
    std::function<std::string(WallTime)> timestamp_;
};

std::string isoTimestamp(WallTime time);  // 2026-11-22T10:15:02.125Z

}  // namespace faxover::orchestrator::runtime
