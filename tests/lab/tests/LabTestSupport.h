#pragma once
// Shared pieces of the lab tests: the attached lab, a connected hypervisor, an event recorder and
// guards that leave the lab as the next test expects it, whether this test passes or not.
#include "LabHarness.h"
#include "faxover/hypervisor/LibvirtHypervisor.h"

#include <Poco/DOM/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/DOMWriter.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace faxover::labtest {

using namespace std::chrono_literals;
using hv::Duration;

// Fast keepalive and reconnect, so the bounds the tests assert stay short.
inline hv::ConnectionSettings labConnectionSettings() {
    hv::ConnectionSettings settings;
    settings.keepAliveIntervalSeconds = 1;
    settings.keepAliveCount = 2;
    settings.reconnectMin = Duration(200);
    settings.reconnectMax = Duration(1000);
    return settings;
}
// libvirt closes a silent connection after about interval * (count + 1) seconds.
inline constexpr Duration kKeepAliveBound{3000};

class EventRecorder {
public:
    void record(const hv::HypervisorEvent& event) {
        {
            std::lock_guard lock(mutex_);
            events_.push_back(event);
        }
        changed_.notify_all();
    }
    // Waits until some recorded event satisfies `match`; returns whether one did in time.
    bool waitFor(const std::function<bool(const hv::HypervisorEvent&)>& match, Duration timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] {
            for (const auto& event : events_)
                if (match(event)) return true;
            return false;
        });
    }
    std::vector<hv::HypervisorEvent> snapshot() const {
        std::lock_guard lock(mutex_);
        return events_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<hv::HypervisorEvent> events_;
};

inline std::function<bool(const hv::HypervisorEvent&)> domainEvent(const std::string& host, const std::string& name,
                                                                  hv::DomainLifecycle lifecycle) {
    return [=](const hv::HypervisorEvent& event) {
        const auto* domain = std::get_if<hv::DomainEvent>(&event);
        return domain != nullptr && domain->host == host && domain->domainName == name && domain->lifecycle == lifecycle;
    };
}

// Every lab test names its domains with this prefix, so what a killed test left can be found.
inline constexpr std::string_view kTestDomainPrefix = "labtest-";

// The attached lab (repaired first, hook enrolments included: see Lab::attach) plus a hypervisor
// connected to all its hosts, recording every event. A test killed by its timeout runs no guard:
// the domains it left are removed here, before the next test starts, and named on stderr.
struct LabSession {
    lab::Lab lab = lab::Lab::attach();
    std::shared_ptr<EventRecorder> events = std::make_shared<EventRecorder>();
    std::unique_ptr<hv::LibvirtHypervisor> hypervisor = std::make_unique<hv::LibvirtHypervisor>(labConnectionSettings());

    LabSession() {
        hypervisor->setEventHandler([recorder = events](const hv::HypervisorEvent& event) { recorder->record(event); });
        for (const auto& host : lab.hosts()) REQUIRE(hypervisor->addHost(host.config()));
        REQUIRE(hypervisor->waitUntilReachable(Duration(15000)));
        removeLeftovers();
    }
    std::string hostName(std::size_t index) const { return lab.host(index).name; }

private:
    void removeLeftovers() {
        for (const auto& host : lab.hosts()) {
            auto domains = hypervisor->listDomains(host.name);
            INFO("listing the domains of " << host.name << ": " << (domains ? "" : domains.error().message));
            REQUIRE(domains);
            for (const auto& domain : domains.value()) {
                if (!domain.name.starts_with(kTestDomainPrefix)) continue;
                std::cerr << "lab: removing domain " << domain.name << " that an earlier test left on " << host.name << "\n";
                (void)hypervisor->destroyDomain(host.name, domain.name);
                REQUIRE(hypervisor->undefineDomain(host.name, domain.name));
            }
        }
    }
};

// Polls `condition` every 50 ms until it holds or `timeout` passes.
inline bool eventually(const std::function<bool()>& condition, Duration timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return condition();
}

// How long until `condition` held (polled every 50 ms), or Duration::max() if not within `timeout`.
inline Duration timeUntil(const std::function<bool()>& condition, Duration timeout) {
    const auto started = std::chrono::steady_clock::now();
    if (!eventually(condition, timeout)) return Duration::max();
    return std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
}

inline bool isReachable(hv::Hypervisor& hypervisor, const std::string& host) {
    auto status = hypervisor.hostStatus(host);
    return status && status.value().reachability == hv::Reachability::Reachable;
}

// The reachability changes reported for `host`, in order.
inline std::vector<hv::Reachability> reachabilityChanges(const EventRecorder& events, const std::string& host) {
    std::vector<hv::Reachability> changes;
    for (const auto& event : events.snapshot()) {
        if (const auto* hostEvent = std::get_if<hv::HostEvent>(&event); hostEvent && hostEvent->host == host) {
            changes.push_back(hostEvent->status.reachability);
        }
    }
    return changes;
}

// Runs `restore` at scope exit, so a failed assertion never leaves a host down for the next test.
class OnExit {
public:
    explicit OnExit(std::function<void()> action) : action_(std::move(action)) {}
    ~OnExit() {
        try {
            action_();
        } catch (...) {
            // Best effort: the fixture's `lab:down` removes the lab even if this fails.
        }
    }
    OnExit(const OnExit&) = delete;
    OnExit& operator=(const OnExit&) = delete;

private:
    std::function<void()> action_;
};

// The lab's diskless guest named `name`, with one more device under <devices>: the element
// `makeDevice` builds in the guest's document (XML library, never string splicing).
inline std::string guestWithDevice(
    const std::string& name,
    const std::function<Poco::AutoPtr<Poco::XML::Element>(Poco::XML::Document&)>& makeDevice) {
    Poco::XML::DOMParser parser;
    Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(lab::Lab::guestXml(lab::Guest::Diskless, name));
    Poco::AutoPtr<Poco::XML::Element> device = makeDevice(*document);
    document->documentElement()->getChildElement("devices")->appendChild(device);
    std::ostringstream xml;
    Poco::XML::DOMWriter().writeNode(xml, document);
    return xml.str();
}

// Defines and starts the domain `xml` names `name`; the returned guard destroys and undefines it
// wherever it is.
inline std::unique_ptr<OnExit> runDomain(LabSession& session, const std::string& host, const std::string& name,
                                         const std::string& xml) {
    auto defined = session.hypervisor->defineDomain(host, xml);
    INFO((defined ? std::string() : defined.error().message));
    REQUIRE(defined);
    auto cleanup = std::make_unique<OnExit>([&session, name] {
        for (const auto& each : session.hypervisor->hosts()) {
            (void)session.hypervisor->destroyDomain(each, name);
            (void)session.hypervisor->undefineDomain(each, name);
        }
    });
    auto started = session.hypervisor->startDomain(host, name);
    INFO((started ? std::string() : started.error().message));
    REQUIRE(started);
    return cleanup;
}

// Defines and starts a lab guest, as runDomain.
inline std::unique_ptr<OnExit> runGuest(LabSession& session, const std::string& host, lab::Guest guest,
                                        const std::string& name) {
    return runDomain(session, host, name, lab::Lab::guestXml(guest, name));
}

}  // namespace faxover::labtest
