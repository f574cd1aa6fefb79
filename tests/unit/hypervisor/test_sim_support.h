#pragma once
// Shared by the [sim] tests: a simulated hypervisor with a manual clock, an event log in one line
// format (the test oracle, after Proxmox's simulator), domain XML and fake fax boards.
#include "faxover/hypervisor/sim/SimulatedHypervisor.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace faxover::hv::sim::test {

// "ok" or "<kind>: <message>", for failure messages.
template <class T>
std::string describeResult(const Result<T>& result) {
    return result ? std::string("ok") : std::string(toString(result.error().kind)) + ": " + result.error().message;
}

#define SIM_REQUIRE_OK(expr)                                        \
    do {                                                            \
        const auto& simResult_ = (expr);                            \
        INFO(::faxover::hv::sim::test::describeResult(simResult_)); \
        REQUIRE(simResult_.has_value());                            \
    } while (false)

#define SIM_REQUIRE_ERROR(expr, errorKind)                          \
    do {                                                            \
        const auto& simResult_ = (expr);                            \
        INFO(::faxover::hv::sim::test::describeResult(simResult_)); \
        REQUIRE_FALSE(simResult_.has_value());                      \
        REQUIRE(simResult_.error().kind == (errorKind));            \
    } while (false)

inline constexpr const char* kFaxUuid = "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31";
inline constexpr const char* kBoardNodeDevice = "pci_0000_03_00_0";

inline constexpr std::uint64_t kGiB = 1024 * 1024;  // in KiB

// A diskless TCG guest with `memoryKiB` of RAM (0: no <memory> element) and `vcpus`; `devices`
// goes inside <devices>.
inline std::string sizedDomainXml(const std::string& name, const std::string& uuid, std::uint64_t memoryKiB,
                                  unsigned vcpus = 1, const std::string& devices = {}) {
    std::string xml = "<domain type='qemu'>\n  <name>" + name + "</name>\n";
    if (!uuid.empty()) xml += "  <uuid>" + uuid + "</uuid>\n";
    if (memoryKiB > 0) xml += "  <memory unit='KiB'>" + std::to_string(memoryKiB) + "</memory>\n";
    xml += "  <vcpu>" + std::to_string(vcpus) + "</vcpu>\n  <os><type arch='x86_64'>hvm</type></os>\n";
    xml += "  <on_crash>destroy</on_crash>\n  <devices>" + devices + "</devices>\n</domain>\n";
    return xml;
}

// The same with 128 MiB and one vCPU.
inline std::string domainXml(const std::string& name, const std::string& uuid = kFaxUuid,
                             const std::string& devices = {}) {
    return sizedDomainXml(name, uuid, 128 * 1024, 1, devices);
}

inline std::string boardHostdev(bool managed = true) {
    return std::string("<hostdev mode='subsystem' type='pci' managed='") + (managed ? "yes" : "no") +
           "'><source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source></hostdev>";
}

// A Brooktrout TR1034 as lspci would show it, bound to its vendor driver.
inline PciDevice faxBoard() {
    PciDevice board;
    board.nodeDeviceName = kBoardNodeDevice;
    board.address = PciAddress{0, 0x03, 0x00, 0x0};
    board.vendorId = 0x12e4;
    board.productId = 0x1034;
    board.vendorName = "Brooktrout Technology";
    board.productName = "TR1034";
    board.driver = "brooktrout";
    return board;
}

inline std::string describe(const HypervisorEvent& event) {
    if (const auto* domain = std::get_if<DomainEvent>(&event)) {
        return domain->host + ": domain " + domain->domainName + " " + toString(domain->lifecycle) + " (" +
               domain->detailText + ")";
    }
    const auto& host = std::get<HostEvent>(event);
    return host.host + ": host " + toString(host.status.reachability) + " (" + host.status.reason + ")";
}

// Two reachable hosts, "a" (64 GiB, a fax board) and "b" (32 GiB), every event logged as
// "<ms since start> <host>: <what>".
struct SimFixture {
    ManualClock clock;
    SimulatedHypervisor sim{clock};
    const TimePoint start = clock.now();
    std::vector<std::string> log;

    SimFixture() {
        sim.setEventHandler([this](const HypervisorEvent& event) {
            log.push_back(std::to_string(elapsedMs()) + " " + describe(event));
        });
        SimHostSpec a;
        a.config = HostConfig{"a", "qemu+tcp://198.18.0.11/system", "198.18.0.11"};
        a.cpus = 16;
        a.memoryKiB = 64 * kGiB;
        a.pciDevices.push_back(faxBoard());
        SIM_REQUIRE_OK(sim.addSimHost(a));
        SimHostSpec b;
        b.config = HostConfig{"b", "qemu+tcp://198.18.0.12/system", "198.18.0.12"};
        SIM_REQUIRE_OK(sim.addSimHost(b));
        log.clear();
    }

    long long elapsedMs() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - start).count();
    }

    // The log since the last call.
    std::vector<std::string> takeLog() {
        std::vector<std::string> taken;
        taken.swap(log);
        return taken;
    }

    void defineAndStart(const std::string& host, const std::string& name, const std::string& uuid = kFaxUuid,
                        const std::string& devices = {}) {
        SIM_REQUIRE_OK(sim.defineDomain(host, domainXml(name, uuid, devices)));
        SIM_REQUIRE_OK(sim.startDomain(host, name));
    }

    // Adds a reachable host with default hardware but `memoryKiB`.
    void addHost(const std::string& name, std::uint64_t memoryKiB = 32 * kGiB) {
        SimHostSpec spec;
        spec.config.name = name;
        spec.memoryKiB = memoryKiB;
        SIM_REQUIRE_OK(sim.addSimHost(spec));
    }

    DomainInfo info(const std::string& host, const std::string& domain) {
        auto found = sim.domainInfo(host, domain);
        INFO(describeResult(found));
        REQUIRE(found.has_value());
        return found.value();
    }
};

}  // namespace faxover::hv::sim::test
