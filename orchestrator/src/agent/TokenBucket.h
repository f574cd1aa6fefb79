#pragma once
// The per-domain rate limit on lines from a guest agent: `rate` tokens a second, at most `burst`
// kept. Time comes from the caller (the daemon's wall clock); a clock that steps back refills
// nothing rather than failing.
#include <algorithm>
#include <chrono>

namespace faxover::orchestrator::agent {

class TokenBucket {
public:
    using Time = std::chrono::system_clock::time_point;

    TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

    // True and one token spent, or false when the bucket is empty.
    bool take(Time now) {
        if (started_) {
            const std::chrono::duration<double> elapsed = now - last_;
            tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed.count()) * rate_);
        }
        started_ = true;
        last_ = std::max(last_, now);
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

private:
    double rate_;
    double burst_;
    double tokens_;
    Time last_{};
    bool started_ = false;
};

}  // namespace faxover::orchestrator::agent
