#pragma once
// The per-domain rate limit on lines from a guest agent: `rate` tokens a second, at most `burst`
// kept. A line costs one token per started kBytesPerToken, so the limit bounds the bytes parsed as
// well as the lines: a heartbeat (650-950 bytes) costs one, a line near the 64 KiB limit 32. Time comes from the caller (the daemon's wall clock); a clock that steps back refills
// nothing rather than failing.
#include <algorithm>
#include <chrono>
#include <cstddef>

namespace faxover::orchestrator::agent {

class TokenBucket {
public:
    using Time = std::chrono::system_clock::time_point;

    TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

    static constexpr std::size_t kBytesPerToken = 2048;

    static double costOf(std::size_t lineBytes) {
        return static_cast<double>(std::max<std::size_t>(1, (lineBytes + kBytesPerToken - 1) / kBytesPerToken));
    }

    // True and the line's cost spent, or false when the bucket holds less (nothing spent).
    bool take(Time now, std::size_t lineBytes = 0) {
        if (started_) {
            const std::chrono::duration<double> elapsed = now - last_;
            tokens_ = std::min(burst_, tokens_ + std::max(0.0, elapsed.count()) * rate_);
        }
        started_ = true;
        last_ = std::max(last_, now);
        const double cost = costOf(lineBytes);
        if (tokens_ < cost) return false;
        tokens_ -= cost;
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
