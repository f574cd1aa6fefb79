#include "faxover/orchestrator/engine/Event.h"

#include <algorithm>
#include <array>

namespace faxover::orchestrator::engine {

namespace {
constexpr std::array kEventKinds = {
    std::pair{EventKind::Service, "service"}, std::pair{EventKind::Host, "host"},
    std::pair{EventKind::Board, "board"},     std::pair{EventKind::Licence, "licence"},
    std::pair{EventKind::Store, "store"},     std::pair{EventKind::Policy, "policy"},
    std::pair{EventKind::Daemon, "daemon"},
};
constexpr std::array kSeverities = {
    std::pair{Severity::Info, "info"},
    std::pair{Severity::Warning, "warning"},
    std::pair{Severity::Alert, "alert"},
};

const std::string kNoField;
}  // namespace

const char* toString(EventKind kind) {
    for (const auto& [known, name] : kEventKinds)
        if (known == kind) return name;
    return "unknown";
}

const char* toString(Severity severity) {
    for (const auto& [known, name] : kSeverities)
        if (known == severity) return name;
    return "unknown";
}

Event Event::aboutService(std::string service, std::string message) {
    Event event = about(EventKind::Service, std::move(message));
    event.service = std::move(service);
    return event;
}

Event Event::aboutHost(std::string host, std::string message) {
    Event event = about(EventKind::Host, std::move(message));
    event.host = std::move(host);
    return event;
}

Event Event::aboutBoard(std::string host, std::string board, std::string message) {
    Event event = about(EventKind::Board, std::move(message));
    event.host = std::move(host);
    event.fields.emplace_back("board", std::move(board));
    return event;
}

Event Event::aboutLicence(std::string licence, std::string message) {
    Event event = about(EventKind::Licence, std::move(message));
    event.fields.emplace_back("licence", std::move(licence));
    return event;
}

Event Event::about(EventKind kind, std::string message) {
    Event event;
    event.kind = kind;
    event.message = std::move(message);
    return event;
}

Event&& Event::with(std::string name, std::string value) && {
    fields.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
}

const std::string* Event::field(std::string_view name) const {
    const auto found = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.first == name; });
    return found == fields.end() ? nullptr : &found->second;
}

std::string Event::subject() const {
    const std::string kindName = toString(kind);
    const auto fieldValue = [this](std::string_view name) {
        const std::string* value = field(name);
        return value != nullptr ? *value : kNoField;
    };
    switch (kind) {
        case EventKind::Service: return kindName + " " + service;
        case EventKind::Host: return kindName + " " + host;
        case EventKind::Board: return kindName + " " + host + " " + fieldValue("board");
        case EventKind::Licence: return kindName + " " + fieldValue("licence");
        case EventKind::Store:
        case EventKind::Policy:
        case EventKind::Daemon: return kindName;
    }
    return kindName;
}

}  // namespace faxover::orchestrator::engine
