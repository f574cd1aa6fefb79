#pragma once
// Time as a port: real code reads a steady clock, simulations and tests advance a manual one.
#include <chrono>
#include <mutex>

namespace faxover::hv {

using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SteadyClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::steady_clock::now(); }
};

// Starts at an arbitrary fixed epoch and moves only when told to, so simulated runs are repeatable.
class ManualClock final : public Clock {
public:
    TimePoint now() const override {
        std::lock_guard lock(mutex_);
        return now_;
    }
    void advance(Duration by) {
        std::lock_guard lock(mutex_);
        now_ += by;
    }

private:
    mutable std::mutex mutex_;
    TimePoint now_{std::chrono::hours(1)};
};

}  // namespace faxover::hv
