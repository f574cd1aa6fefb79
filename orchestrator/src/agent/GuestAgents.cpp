#include "faxover/orchestrator/agent/GuestAgents.h"

#include "agent/AgentSession.h"
#include "agent/HeartbeatHealth.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace faxover::orchestrator::agent {

using Session = GuestAgents::Session;

namespace {

std::int64_t nanosOf(ports::WallTime time) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

std::string secondsText(std::chrono::milliseconds duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) + " s";
}

bool sameUuid(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

const policy::ServicePolicy* serviceNamed(const policy::Policy& policy, const std::string& name) {
    const auto it = std::find_if(policy.services.begin(), policy.services.end(),
                                 [&](const policy::ServicePolicy& service) { return service.name == name; });
    return it == policy.services.end() ? nullptr : &*it;
}

const policy::ServicePolicy* serviceWithDomain(const policy::Policy& policy, const std::string& domain,
                                               policy::DomainRef::Kind kind) {
    for (const auto& service : policy.services) {
        if (service.domain.kind != kind) continue;
        if (kind == policy::DomainRef::Kind::Uuid ? sameUuid(service.domain.value, domain)
                                                  : service.domain.value == domain)
            return &service;
    }
    return nullptr;
}

faxguest::CommandKind protocolCommand(ports::GuestAgentCommand command) {
    switch (command) {
        case ports::GuestAgentCommand::Quiesce: return faxguest::CommandKind::Quiesce;
        case ports::GuestAgentCommand::Resume: return faxguest::CommandKind::Resume;
        case ports::GuestAgentCommand::RestartService: return faxguest::CommandKind::RestartService;
    }
    return faxguest::CommandKind::SelfTest;  // unreachable: every command is mapped above
}

// Opens the session's channel on `host` unless it is open there already. With no lock held.
void connect(hv::Hypervisor& hypervisor, const std::shared_ptr<Session>& session, const std::string& host,
             const std::string& domain) {
    const std::lock_guard link(session->link);
    std::string name;
    {
        const std::lock_guard lock(session->data);
        name = session->config.channel;
    }
    if (session->channel && session->channel->isOpen() && session->channelHost == host &&
        session->channelName == name)
        return;
    session->channel.reset();  // no delivery from the old stream after this
    session->channelHost.clear();
    {
        // Before the new stream can deliver: a line the old one cut off is not continued, and
        // the new stream's end (it may come at once) is not overwritten below.
        const std::lock_guard lock(session->data);
        session->reader = faxguest::LineReader{};
        session->channelProblem.clear();
    }
    const std::weak_ptr<Session> weak = session;
    hv::ChannelHandler handler{[weak](std::string_view bytes) {
                                   if (auto alive = weak.lock()) alive->take(bytes);
                               },
                               [weak](const std::string& why) {
                                   if (auto alive = weak.lock()) alive->ended(why);
                               }};
    auto opened = hypervisor.openChannel(host, domain, name, std::move(handler));
    const std::lock_guard lock(session->data);
    if (!opened) {
        session->channelError = opened.error();
        session->channelProblem = "cannot open channel " + name + " on " + host + ": " + opened.error().message;
        return;
    }
    session->channel = std::move(opened).value();
    session->channelHost = host;
    session->channelName = name;
}

// A warning about refused lines when there are new ones and none was given for `interval`.
std::optional<engine::Event> refusalWarning(Session& session, ports::WallTime now, std::chrono::milliseconds interval) {
    const AgentCounters& total = session.counters;
    const AgentCounters& before = session.reported;
    if (total.garbage == before.garbage && total.dropped == before.dropped &&
        total.unknownReplies == before.unknownReplies)
        return std::nullopt;
    if (session.reportedAt != ports::WallTime{} && now - session.reportedAt < interval) return std::nullopt;
    auto event = engine::Event::aboutService(
                     session.service,
                     "guest agent input refused: " + std::to_string(total.garbage - before.garbage) +
                         " line(s) not of the protocol, " + std::to_string(total.dropped - before.dropped) +
                         " over the rate limit, " + std::to_string(total.unknownReplies - before.unknownReplies) +
                         " reply(ies) to no command")
                     .warning()
                     .with("garbage_total", std::to_string(total.garbage))
                     .with("dropped_total", std::to_string(total.dropped))
                     .with("unknown_replies_total", std::to_string(total.unknownReplies))
                     .with("last_refusal", session.lastRefusal);
    event.time = now;
    session.reported = total;
    session.reportedAt = now;
    return event;
}

}  // namespace

GuestAgents::GuestAgents(hv::Hypervisor& hypervisor, const ports::WallClock& wall, ports::EventSink* events,
                         std::shared_ptr<const policy::Policy> policy, GuestAgentsSettings settings)
    : hypervisor_(hypervisor), wall_(wall), events_(events), settings_(settings), policy_(std::move(policy)) {}

GuestAgents::~GuestAgents() {
    std::map<std::string, std::shared_ptr<Session>> closing;
    {
        const std::lock_guard lock(mutex_);
        closing.swap(sessions_);
    }
    for (auto& [service, session] : closing) {
        const std::lock_guard link(session->link);
        session->channel.reset();
    }
}

void GuestAgents::setPolicy(std::shared_ptr<const policy::Policy> policy) {
    const std::lock_guard lock(mutex_);
    policy_ = std::move(policy);
    lastSweep_ = {};  // the next check closes what the reload took away, not a second later
}

std::shared_ptr<Session> GuestAgents::sessionFor(const std::string& service, const policy::GuestAgentPolicy& config) {
    const std::lock_guard lock(mutex_);
    auto& session = sessions_[service];
    if (!session) session = std::make_shared<Session>(service, config, wall_);
    const std::lock_guard data(session->data);
    session->reconfigure(config);  // a reload's timeout or rate; a new channel name reopens at connect
    return session;
}

const policy::ServicePolicy* GuestAgents::serviceOf(const policy::Policy& policy, const std::string& host,
                                                    const std::string& domain) {
    if (const auto* byUuid = serviceWithDomain(policy, domain, policy::DomainRef::Kind::Uuid)) return byUuid;
    if (const auto* byName = serviceWithDomain(policy, domain, policy::DomainRef::Kind::Name)) return byName;
    // The monitor asks by UUID; a service that names its domain needs the name, read once.
    std::string name;
    {
        const std::lock_guard lock(mutex_);
        if (const auto known = domainNames_.find(domain); known != domainNames_.end()) name = known->second;
    }
    if (name.empty()) {
        auto info = hypervisor_.domainInfo(host, domain);
        if (!info) return nullptr;
        name = info.value().name;
        const std::lock_guard lock(mutex_);
        domainNames_[domain] = name;
    }
    return serviceWithDomain(policy, name, policy::DomainRef::Kind::Name);
}

std::optional<engine::GuestHealth> GuestAgents::check(const std::string& host, const std::string& domain) {
    forgetStale();
    std::shared_ptr<const policy::Policy> policy;
    {
        const std::lock_guard lock(mutex_);
        policy = policy_;
    }
    const auto* service = policy ? serviceOf(*policy, host, domain) : nullptr;
    if (service == nullptr || !service->guestAgent) return std::nullopt;
    const auto session = sessionFor(service->name, *service->guestAgent);
    connect(hypervisor_, session, host, domain);
    const ports::WallTime now = wall_.now();
    engine::GuestHealth health;
    std::optional<engine::Event> warning;
    {
        const std::lock_guard lock(session->data);
        session->askedAt = now;
        if (session->heartbeat) health = healthOf(*session->heartbeat, nanosOf(session->heartbeatAt));
        const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - session->heartbeatAt);
        if (!session->heartbeat || age > session->config.heartbeatTimeout) {
            // Heartbeats lost: what the last one said stays for the log, but it answers nothing now.
            health.agentAnswered = false;
            health.faxServiceUp = false;
            health.detail = session->heartbeat ? "no heartbeat for " + secondsText(age) + " (timeout " +
                                                     secondsText(session->config.heartbeatTimeout) + ")"
                                               : "no heartbeat yet";
            if (!session->channelProblem.empty()) health.detail += "; " + session->channelProblem;
        }
        warning = refusalWarning(*session, now, settings_.reportInterval);
    }
    if (warning && events_ != nullptr) events_->deliver(*warning);
    return health;
}

hv::Result<std::string> GuestAgents::run(const ports::GuestAgentRequest& request) {
    std::shared_ptr<const policy::Policy> policy;
    {
        const std::lock_guard lock(mutex_);
        policy = policy_;
    }
    const auto* service = policy ? serviceNamed(*policy, request.service) : nullptr;
    if (service == nullptr || !service->guestAgent)
        return hv::Error{hv::ErrorKind::NotSupported, "service " + request.service + " has no guest_agent in the policy",
                         request.host};
    const auto session = sessionFor(service->name, *service->guestAgent);
    connect(hypervisor_, session, request.host, request.domain);

    const auto timeout = request.timeout > std::chrono::milliseconds::zero() ? request.timeout
                                                                            : settings_.defaultCommandTimeout;
    faxguest::Command command;
    {
        const std::lock_guard lock(mutex_);
        command.id = service->name + "-" + std::to_string(++nextCommand_);
    }
    command.kind = protocolCommand(request.command);
    command.timeoutMs = timeout.count();
    const std::string what = faxguest::commandName(command.kind) + " " + command.id + " to " + service->name;
    {
        const std::lock_guard lock(session->data);
        session->askedAt = wall_.now();
        session->waiting.emplace(command.id, Session::Waiting{command.kind});
    }
    auto forget = [&] {
        const std::lock_guard lock(session->data);
        session->waiting.erase(command.id);
    };
    hv::Result<void> written = [&]() -> hv::Result<void> {
        const std::lock_guard link(session->link);
        if (!session->channel) {
            const std::lock_guard lock(session->data);
            hv::Error error = session->channelError.value_or(hv::Error{hv::ErrorKind::OperationFailed, ""});
            error.message = session->channelProblem;
            return error;
        }
        return session->channel->write(faxguest::encodeLine(command));
    }();
    if (!written) {
        forget();
        hv::Error error = written.error();
        error.message = "cannot send " + what + ": " + error.message;
        return error;
    }

    const auto deadline = std::chrono::steady_clock::now() + timeout + settings_.replyMargin;
    std::unique_lock lock(session->data);
    auto& waiting = session->waiting.at(command.id);
    session->replied.wait_until(lock, deadline, [&] { return waiting.reply || !session->channelProblem.empty(); });
    const std::optional<faxguest::Reply> reply = waiting.reply;
    const std::string problem = session->channelProblem;
    session->waiting.erase(command.id);
    if (reply && reply->ok) return reply->detail;
    if (reply) return hv::Error{hv::ErrorKind::OperationFailed, what + ": " + reply->detail, request.host};
    if (!problem.empty())
        return hv::Error{hv::ErrorKind::OperationFailed, what + ": no reply before " + problem, request.host};
    return hv::Error{hv::ErrorKind::Timeout,
                     what + ": no reply within " + secondsText(timeout + settings_.replyMargin), request.host};
}

std::optional<AgentCounters> GuestAgents::counters(const std::string& service) const {
    std::shared_ptr<Session> session;
    {
        const std::lock_guard lock(mutex_);
        const auto it = sessions_.find(service);
        if (it == sessions_.end()) return std::nullopt;
        session = it->second;
    }
    const std::lock_guard lock(session->data);
    return session->counters;
}

void GuestAgents::forgetStale() {
    const ports::WallTime now = wall_.now();
    std::vector<std::shared_ptr<Session>> closing;
    {
        const std::lock_guard lock(mutex_);
        if (now >= lastSweep_ && now - lastSweep_ < std::chrono::seconds(1)) return;
        lastSweep_ = now;
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            const auto* service = policy_ ? serviceNamed(*policy_, it->first) : nullptr;
            bool stale = service == nullptr || !service->guestAgent;
            {
                const std::lock_guard data(it->second->data);
                stale = stale || now - it->second->askedAt > settings_.forgetAfter;
            }
            if (!stale) {
                ++it;
                continue;
            }
            closing.push_back(std::move(it->second));
            it = sessions_.erase(it);
        }
    }
    for (const auto& session : closing) {
        const std::lock_guard link(session->link);
        session->channel.reset();
    }
}

}  // namespace faxover::orchestrator::agent
