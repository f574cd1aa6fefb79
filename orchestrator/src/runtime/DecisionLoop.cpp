#include "faxover/orchestrator/runtime/DecisionLoop.h"

namespace faxover::orchestrator::runtime {

DecisionLoop::DecisionLoop(Mode mode) : mode_(mode) {
    if (mode_ != Mode::Thread) return;
    guard_.emplace(boost::asio::make_work_guard(context_));
    thread_ = std::thread([this] { context_.run(); });
}

DecisionLoop::~DecisionLoop() { stop(); }

bool DecisionLoop::post(std::function<void()> work) {
    if (stopped_.load()) return false;
    boost::asio::post(context_, std::move(work));
    return true;
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
