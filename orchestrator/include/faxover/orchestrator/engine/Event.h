#pragma once
// What the engine and the runtime report: one value per state change (docs/daemon.md, "Events").
// The formatted log line is one sink of it; the alert command another (ports/EventSink.h). The
// engine stamps an event with its decision's time, the runtime with the wall clock: no clock here.
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faxover::orchestrator::engine {

// What the event is about: the subject of its log line ("service fax-a", "host lab1", "store").
enum class EventKind {
    Service,  // a protected service: its state, actions, health
    Host,     // a host: health, fencing, maintenance
    Board,    // a fax board on a host (field "board")
    Licence,  // a licence's seats (field "licence")
    Store,    // the store refused or failed a write
    Policy,   // the policy: reloads, warnings
    Daemon,   // the daemon itself: start, stop, resume, events lost
};
enum class Severity { Info, Warning, Alert };  // Alert: needs an admin's attention

// One name table per enum: "service", "host", ...; "info", "warning", "alert".
const char* toString(EventKind kind);
const char* toString(Severity severity);

struct Event {
    using Time = std::chrono::system_clock::time_point;
    using Field = std::pair<std::string, std::string>;

    EventKind kind = EventKind::Daemon;
    Severity severity = Severity::Info;
    Time time{};
    std::string host{};
    std::string service{};
    std::vector<Field> fields{};  // in the order they were added
    std::string message{};

    static Event aboutService(std::string service, std::string message);
    static Event aboutHost(std::string host, std::string message);
    static Event aboutBoard(std::string host, std::string board, std::string message);
    static Event aboutLicence(std::string licence, std::string message);
    static Event about(EventKind kind, std::string message);  // Store, Policy, Daemon: no host or service

    // Built in one expression: Event::aboutHost("lab1", "fenced").with("evidence", "...").alert()
    Event&& alertIf(bool condition) && {
        if (condition) severity = Severity::Alert;
        return std::move(*this);
    }
    Event&& alert() && { return std::move(*this).alertIf(true); }
    Event&& warning() && {
        severity = Severity::Warning;
        return std::move(*this);
    }
    Event&& with(std::string name, std::string value) &&;

    const std::string* field(std::string_view name) const;  // nullptr when absent
    bool isAlert() const { return severity == Severity::Alert; }
    // "service fax-a", "host lab1", "board lab1 0000:03:00.0", "licence L", "store"
    std::string subject() const;
    // "service fax-a: ok -> migrating: maintenance of lab1": the log line without its time
    std::string text() const { return subject() + ": " + message; }
    bool operator==(const Event&) const = default;
};

}  // namespace faxover::orchestrator::engine
