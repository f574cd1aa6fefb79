#include "ActionSteps.h"

#include "faxover/hypervisor/DomainXml.h"

#include <fstream>
#include <sstream>

namespace faxover::orchestrator::runtime {

namespace {

hv::Result<std::string> definitionFor(const ActionContext& context) {
    if (context.xmlSource.kind == policy::DomainXmlSource::Kind::File) {
        std::ifstream file(context.xmlSource.path);
        std::ostringstream text;
        text << file.rdbuf();
        if (!file || text.str().empty())
            return hv::Error{hv::ErrorKind::InvalidArgument,
                             "cannot read domain XML of " + context.domain + " from " + context.xmlSource.path};
        return text.str();
    }
    if (context.definitionXml.empty())
        return hv::Error{hv::ErrorKind::InvalidArgument,
                         "no definition of " + context.domain +
                             " is known: it was never seen on a reachable host and domain_xml is not a file"};
    return context.definitionXml;
}

hv::Result<void> ensureDefined(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context) {
    auto info = hypervisor.domainInfo(host, context.domain);
    if (info) return hv::ok();
    if (info.error().kind != hv::ErrorKind::NoSuchDomain) return info.error();
    BOOST_OUTCOME_TRY(xml, definitionFor(context));
    BOOST_OUTCOME_TRY(hypervisor.defineDomain(host, xml));
    return hv::ok();
}

std::string seconds(hv::Duration duration) {
    std::ostringstream text;
    text.precision(1);
    text << std::fixed << static_cast<double>(duration.count()) / 1000.0 << " s";
    return text.str();
}

hv::Result<void> defineWithBoard(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context) {
    // Faxover's copy of the definition, or (never seen running) the one the target host has.
    auto xml = definitionFor(context);
    if (!xml)
        if (auto onHost = hypervisor.domainXml(host, context.domain)) xml = std::move(onHost.value());
    if (!xml) return xml.error();
    BOOST_OUTCOME_TRY(rewritten, withBoard(xml.value(), *context.board));
    BOOST_OUTCOME_TRY(board, hv::PciAddress::parse(context.board->to));
    BOOST_OUTCOME_TRY(hypervisor.detachPciDevice(host, board.nodeDeviceName()));
    BOOST_OUTCOME_TRY(hypervisor.defineDomain(host, rewritten));
    return hv::ok();
}

}  // namespace

hv::Result<std::string> withBoard(const std::string& definitionXml, const BoardSwap& swap) {
    BOOST_OUTCOME_TRY(definition, hv::DomainXml::parse(definitionXml));
    BOOST_OUTCOME_TRY(to, hv::PciAddress::parse(swap.to));
    hv::PciAddress from;
    if (!swap.from.empty()) {
        BOOST_OUTCOME_TRY(named, hv::PciAddress::parse(swap.from));
        from = named;
    } else {
        const auto hostdevs = definition.pciHostdevs();
        if (hostdevs.size() != 1)
            return hv::Error{hv::ErrorKind::InvalidArgument,
                             "cannot tell which of the definition's " + std::to_string(hostdevs.size()) +
                                 " PCI hostdevs is the fax board to point at " + swap.to};
        from = hostdevs.front().source;
    }
    if (from != to) {
        BOOST_OUTCOME_TRY(definition.rewritePciHostdevSource(from, to));
    }
    return definition.toString();
}

hv::Result<std::string> startOn(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context) {
    if (context.board) {
        BOOST_OUTCOME_TRY(defineWithBoard(hypervisor, host, context));
    } else {
        BOOST_OUTCOME_TRY(ensureDefined(hypervisor, host, context));
    }
    BOOST_OUTCOME_TRY(info, hypervisor.domainInfo(host, context.domain));
    if (info.active()) return std::string("already running on " + host);
    BOOST_OUTCOME_TRY(hypervisor.startDomain(host, context.domain));
    if (context.board) return "board " + context.board->to + " detached to vfio-pci; started on " + host + " with it";
    return std::string("started on " + host);
}

hv::Result<std::string> giveBoardBack(hv::Hypervisor& hypervisor, const std::string& host, const std::string& board) {
    BOOST_OUTCOME_TRY(address, hv::PciAddress::parse(board));
    BOOST_OUTCOME_TRY(hypervisor.reattachPciDevice(host, address.nodeDeviceName()));
    if (auto devices = hypervisor.pciDevices(host))
        for (const auto& device : devices.value())
            if (device.address == address) return "reattached to " + (device.driver.empty() ? "no driver" : device.driver);
    return std::string("reattached");
}

hv::Result<std::string> liveMigrate(hv::Hypervisor& hypervisor, const std::string& from, const std::string& to,
                                    const ActionContext& context, const hv::ProgressCallback& progress) {
    BOOST_OUTCOME_TRY(result, hypervisor.migrateLive(from, to, context.domain, hv::MigrationOptions{}, progress));
    std::string message = "live-migrated " + from + " -> " + to + " in " + seconds(result.totalTime);
    if (result.downtime) message += ", downtime " + std::to_string(result.downtime->count()) + " ms";
    return message;
}

hv::Result<std::string> shutDown(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context) {
    BOOST_OUTCOME_TRY(hypervisor.shutdownDomain(host, context.domain, context.shutdownTimeout));
    BOOST_OUTCOME_TRY(info, hypervisor.domainInfo(host, context.domain));
    if (info.active())
        return hv::Error{hv::ErrorKind::OperationFailed,
                         context.domain + " still " + hv::toString(info.state) + " on " + host + " after shutdown", host};
    return "shut down on " + host;
}

hv::Result<std::string> restartVm(hv::Hypervisor& hypervisor, const std::string& host, const ActionContext& context) {
    BOOST_OUTCOME_TRY(shutDown(hypervisor, host, context));
    BOOST_OUTCOME_TRY(started, startOn(hypervisor, host, context));
    return "VM restarted: shut down, " + started;
}

hv::Result<std::string> coldMove(hv::Hypervisor& hypervisor, const std::string& from, const std::string& to,
                                 ActionContext context) {
    // The freshest definition is the one on the source, read before it is stopped.
    if (auto xml = hypervisor.domainXml(from, context.domain)) context.definitionXml = xml.value();
    BOOST_OUTCOME_TRY(shutDown(hypervisor, from, context));
    BOOST_OUTCOME_TRY(started, startOn(hypervisor, to, context));
    std::string message = "stopped on " + from + ", " + started;
    if (auto undefined = hypervisor.undefineDomain(from, context.domain); !undefined)
        message += " (stale definition left on " + from + ": " + undefined.error().message + ")";
    return message;
}

}  // namespace faxover::orchestrator::runtime
