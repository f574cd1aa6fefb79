#include "Cluster.h"

#include "faxover/hypervisor/DomainXml.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace faxover::scenario {

namespace {

// What a plain `boards:` entry simulates: a Brooktrout TR1034 (lspci 12e4:4d01).
constexpr std::uint16_t kBrooktroutVendor = 0x12e4;
constexpr std::uint16_t kBrooktroutTr1034 = 0x4d01;

hv::Error errorAt(const std::string& path, const YAML::Node& node, const std::string& message) {
    const auto mark = node.Mark();
    return hv::Error{hv::ErrorKind::InvalidArgument,
                     path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": " + message};
}

// The template's XML named `name`, with a deterministic UUID (with hex letters, so case matters); `board`, when given, replaces the
// source address of the template's one PCI hostdev (a board-mode VM defined on another host).
hv::Result<std::string> domainXml(const std::string& templatesDir, const std::string& templateName,
                                  const std::string& name, int index, const std::optional<hv::PciAddress>& board) {
    std::ifstream file(templatesDir + "/" + templateName + ".xml");
    std::ostringstream text;
    text << file.rdbuf();
    if (!file) return hv::Error{hv::ErrorKind::InvalidArgument, "no domain template " + templateName};
    BOOST_OUTCOME_TRY(xml, hv::DomainXml::parse(text.str()));
    xml.setName(name);
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "fa000000-0000-4000-8000-%012d", index + 1);
    xml.setUuid(uuid);
    if (board) {
        const auto hostdevs = xml.pciHostdevs();
        if (hostdevs.size() != 1)
            return hv::Error{hv::ErrorKind::InvalidArgument, "board: template " + templateName + " has " +
                                                                 std::to_string(hostdevs.size()) +
                                                                 " PCI hostdevs; it needs exactly one to move"};
        BOOST_OUTCOME_TRYV(xml.rewritePciHostdevSource(hostdevs.front().source, *board));
    }
    return xml.toString();
}

// 0x12c7: written in hex as lspci and the policy's board_models write it, and 16 bits.
hv::Result<std::uint16_t> pciId(const std::string& path, const YAML::Node& node) {
    const auto text = node.IsScalar() ? node.Scalar() : std::string();
    std::uint16_t id = 0;
    if (!text.starts_with("0x") || !YAML::convert<std::uint16_t>::decode(node, id))
        return errorAt(path, node, "expected a 16-bit PCI ID in hex such as 0x12c7");
    return id;
}

// A `boards:` entry: "0000:03:00.0" (a Brooktrout TR1034, host driver brooktrout) or
// { address: 0000:04:00.0, vendor: 0x12c7, device: 0x5001, driver: dlgc } for another model.
hv::Result<hv::PciDevice> readBoard(const std::string& path, const YAML::Node& node) {
    hv::PciDevice board;
    board.vendorId = kBrooktroutVendor;
    board.productId = kBrooktroutTr1034;
    board.vendorName = "Brooktrout Technology";
    board.driver = "brooktrout";
    // Initialised once: assigning to a YAML::Node writes through to the node it refers to.
    const YAML::Node address = node.IsMap() ? node["address"] : node;
    if (node.IsMap()) {
        for (const auto& entry : node) {
            const auto key = entry.first.as<std::string>();
            if (key != "address" && key != "vendor" && key != "device" && key != "driver")
                return errorAt(path, entry.first, "unknown board key '" + key + "' (address, vendor, device, driver)");
        }
        if (!address) return errorAt(path, node, "a board needs an address such as 0000:04:00.0");
        if (const auto vendor = node["vendor"]) {
            BOOST_OUTCOME_TRY(id, pciId(path, vendor));
            board.vendorId = id;
            board.vendorName.clear();  // lspci's name is only known for the default board
        }
        if (const auto device = node["device"]) {
            BOOST_OUTCOME_TRY(id, pciId(path, device));
            board.productId = id;
        }
        if (const auto driver = node["driver"]) board.driver = driver.as<std::string>();
    } else if (!node.IsScalar()) {
        return errorAt(path, node, "expected a PCI address such as 0000:03:00.0 or a map with address:");
    }
    auto parsed = hv::PciAddress::parse(address.as<std::string>());
    if (!parsed) return errorAt(path, address, parsed.error().message);
    board.address = parsed.value();
    board.nodeDeviceName = board.address.nodeDeviceName();
    return board;
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
        if (const auto boards = node["boards"]; boards && !boards.IsSequence())
            return errorAt(path, boards, "boards: expected a list such as [0000:03:00.0]");
        for (const auto& board : node["boards"]) {
            BOOST_OUTCOME_TRY(device, readBoard(path, board));
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
        std::optional<hv::PciAddress> board;
        if (const auto boardNode = node["board"]) {
            auto parsed = hv::PciAddress::parse(boardNode.as<std::string>());
            if (!parsed) return errorAt(path, boardNode, parsed.error().message);
            board = parsed.value();
        }
        auto xml = domainXml(templates, node["template"].as<std::string>("fax-1g"), name, index++, board);
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
