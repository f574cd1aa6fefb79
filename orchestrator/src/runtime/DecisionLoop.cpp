#include "faxover/orchestrator/runtime/DecisionLoop.h"

namespace faxover::orchestrator::runtime {

DecisionLoop::DecisionLoop(Mode mode, std::size_t capacity) : mode_(mode), capacity_(capacity) {
    if (mode_ != Mode::Thread) return;
    guard_.emplace(boost::asio::make_work_guard(context_));
    thread_ = std::thread([this] { context_.run(); });
}

DecisionLoop::~DecisionLoop() { stop(); }

bool DecisionLoop::post(std::function<void()> work) {
    if (stopped_.load()) return false;
    ++waiting_;
    boost::asio::post(context_, [this, work = std::move(work)] {
        --waiting_;
        work();
    });
    return true;
}

bool DecisionLoop::offer(std::function<void()> work) {
    // Checked, then queued: two threads offering at once may pass the bound by one each, which
    // keeps it a bound without a lock on the loop's hot path.
    if (full()) return false;
    return post(std::move(work));
}

std::size_t DecisionLoop::runUntilIdle() {
    if (mode_ != Mode::Manual || stopped_.load() || onLoopThread()) return 0;
    std::size_t ran = 0;
    for (;;) {
        context_.restart();
        const std::size_t now = context_.poll();
        if (now == 0) return ran;
        ran += now;
    }
}

void DecisionLoop::stop() {
    if (stopped_.exchange(true)) return;
    guard_.reset();
    context_.stop();
    if (thread_.joinable()) thread_.join();
}

}  // namespace faxover::orchestrator::runtime
