#include "Cluster.h"

#include "faxover/hypervisor/DomainXml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace faxover::scenario {

namespace {

hv::Error errorAt(const std::string& path, const YAML::Node& node, const std::string& message) {
    const auto mark = node.Mark();
    return hv::Error{hv::ErrorKind::InvalidArgument,
                     path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": " + message};
}

hv::Result<std::string> domainXml(const std::string& templatesDir, const std::string& templateName,
                                  const std::string& name, int index) {
    std::ifstream file(templatesDir + "/" + templateName + ".xml");
    std::ostringstream text;
    text << file.rdbuf();
    if (!file) return hv::Error{hv::ErrorKind::InvalidArgument, "no domain template " + templateName};
    BOOST_OUTCOME_TRY(xml, hv::DomainXml::parse(text.str()));
    xml.setName(name);
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", index + 1);
    xml.setUuid(uuid);
    return xml.toString();
}

hv::Result<Cluster> build(const std::string& path, const policy::Policy& policy, hv::sim::SimulatedHypervisor& hypervisor) {
    const YAML::Node root = YAML::LoadFile(path);
    Cluster cluster;
    for (const auto& node : root["hosts"]) {
        const auto name = node["name"].as<std::string>();
        hv::sim::SimHostSpec spec;
        std::string probeAddress;
        if (const policy::HostPolicy* host = policy.findHost(name)) {
            spec.config = {host->name, host->uri, host->migrationAddress};
            probeAddress = host->probeAddress;
        } else if (node["address"]) {  // a host that a later policy reload adds
            probeAddress = node["address"].as<std::string>();
            spec.config = {name, "qemu+tcp://" + probeAddress + "/system", probeAddress};
        } else {
            return errorAt(path, node, "host " + name + " is not in policy.yaml and has no address");
        }
        spec.cpus = node["cpus"].as<unsigned>(8);
        spec.memoryKiB = node["memory_mib"].as<std::uint64_t>(16384) * 1024;
        for (const auto& board : node["boards"]) {  // simulated Brooktrout TR1034 boards
            auto address = hv::PciAddress::parse(board.as<std::string>());
            if (!address) return errorAt(path, board, address.error().message);
            hv::PciDevice device;
            device.address = address.value();
            device.nodeDeviceName = "pci_" + address.value().toString();
            std::replace_if(device.nodeDeviceName.begin(), device.nodeDeviceName.end(),
                            [](char c) { return c == ':' || c == '.'; }, '_');
            device.vendorId = 0x12e4;
            device.productId = 0x4d01;
            device.vendorName = "Brooktrout Technology";
            device.driver = "brooktrout";
            spec.pciDevices.push_back(device);
        }
        if (auto added = hypervisor.addSimHost(spec); !added) return errorAt(path, node, added.error().message);
        cluster.hostOfProbeAddress[probeAddress] = name;
    }
    if (root["shared_storage"]) hypervisor.setSharedStoragePrefixes(root["shared_storage"].as<std::vector<std::string>>());
    const std::string templates = (std::filesystem::path(path).parent_path().parent_path() / "domains").string();
    int index = 0;
    for (const auto& node : root["domains"]) {
        const auto name = node["name"].as<std::string>();
        const auto host = node["host"].as<std::string>();
        auto xml = domainXml(templates, node["template"].as<std::string>("fax-1g"), name, index++);
        if (!xml) return errorAt(path, node, xml.error().message);
        if (auto defined = hypervisor.defineDomain(host, xml.value()); !defined)
            return errorAt(path, node, defined.error().message);
        if (node["running"].as<bool>(true))
            if (auto started = hypervisor.startDomain(host, name); !started)
                return errorAt(path, node, started.error().message);
    }
    return cluster;
}

}  // namespace

hv::Result<Cluster> buildCluster(const std::string& path, const policy::Policy& policy,
                                 hv::sim::SimulatedHypervisor& hypervisor) {
    try {
        return build(path, policy, hypervisor);
    } catch (const YAML::Exception& error) {
        return hv::Error{hv::ErrorKind::InvalidArgument,
                         path + ":" + std::to_string(error.mark.line + 1) + ":" + std::to_string(error.mark.column + 1) +
                             ": " + error.msg};
    }
}

}  // namespace faxover::scenario
