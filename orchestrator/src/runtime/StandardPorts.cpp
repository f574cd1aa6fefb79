#include "faxover/orchestrator/runtime/StandardPorts.h"

#include <boost/asio/post.hpp>

#include <ctime>
#include <iomanip>
#include <sstream>

namespace faxover::orchestrator::runtime {

ThreadPoolExecutor::ThreadPoolExecutor(std::size_t threads) : pool_(threads) {}

ThreadPoolExecutor::~ThreadPoolExecutor() { pool_.join(); }

void ThreadPoolExecutor::submit(std::function<void()> work) { boost::asio::post(pool_, std::move(work)); }

void QueuedExecutor::submit(std::function<void()> work) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(work));
}

std::size_t QueuedExecutor::runAll() {
    std::size_t ran = 0;
    while (runOne()) ++ran;
    return ran;
}

bool QueuedExecutor::runOne() {
    std::function<void()> work;
    {
        std::lock_guard lock(mutex_);
        if (queue_.empty()) return false;
        work = std::move(queue_.front());
        queue_.pop_front();
    }
    work();
    return true;
}

void StateLogSink::deliver(const engine::Event& event) {
    const char* mark = event.severity == engine::Severity::Alert     ? " ALERT "
                       : event.severity == engine::Severity::Warning ? " WARNING "
                                                                     : " ";
    std::lock_guard lock(mutex_);
    out_ << timestamp_(event.time) << mark << event.text() << '\n' << std::flush;
}

std::string isoTimestamp(WallTime time) {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count() % 1000;
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::ostringstream text;
    text << std::put_time(&utc, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0')
         << (millis < 0 ? millis + 1000 : millis) << 'Z';
    return text.str();
}

}  // namespace faxover::orchestrator::runtime
