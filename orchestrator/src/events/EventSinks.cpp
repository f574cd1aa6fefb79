#include "faxover/orchestrator/events/EventSinks.h"

#include "faxover/orchestrator/events/AlertCommandSink.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace faxover::orchestrator::events {

namespace {

std::string isoTime(runtime::WallTime time) { return runtime::isoTimestamp(time); }

// The state log in a file of its own, opened once per build: a SIGHUP after logrotate moved the
// file starts a new one.
class StateLogFile final : public ports::EventSink {
public:
    explicit StateLogFile(std::ofstream file) : file_(std::move(file)), sink_(file_, isoTime) {}
    void deliver(const engine::Event& event) override { sink_.deliver(event); }

private:
    std::ofstream file_;
    runtime::StateLogSink sink_;
};

}  // namespace

hv::Result<runtime::EventSinks> makeEventSinks(const policy::EventSettings& settings, std::ostream& standardOutput,
                                               ports::EventSink& failures) {
    runtime::EventSinks sinks;
    if (settings.stateLog.empty()) {
        sinks.push_back(std::make_shared<runtime::StateLogSink>(standardOutput, isoTime));
    } else {
        std::ofstream file(settings.stateLog, std::ios::app);
        if (!file)
            return hv::Error{hv::ErrorKind::InvalidArgument,
                             "events.state_log " + settings.stateLog + ": cannot open it for appending: " +
                                 std::strerror(errno)};
        sinks.push_back(std::make_shared<StateLogFile>(std::move(file)));
    }
    if (settings.alertCommand) sinks.push_back(std::make_shared<AlertCommandSink>(*settings.alertCommand, failures));
    return sinks;
}

}  // namespace faxover::orchestrator::events
