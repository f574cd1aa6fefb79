#include "Config.h"

#include "faxover/faxguest/Protocol.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>

namespace faxover::faxguest::agent {
namespace {

// A heartbeat carries at most kMaxChecks; the HylaFAX check adds five of its own.
constexpr std::size_t kMostConfiguredChecks = kMaxChecks - 5;

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
        throw ConfigError(file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": " +
                          message);
    }

    // Calls the handler of each key of a mapping; an unknown key is an error.
    void mapping(const YAML::Node& node, const std::string& what,
                 const std::map<std::string, std::function<void(const YAML::Node&)>>& handlers) const {
        if (!node.IsMap()) fail(node.Mark(), what + " must be a mapping");
        for (const auto& entry : node) {
            const std::string key = entry.first.as<std::string>();
            const auto handler = handlers.find(key);
            if (handler == handlers.end()) {
                std::string known;
                for (const auto& [name, ignored] : handlers) known += (known.empty() ? "" : ", ") + name;
                fail(entry.first.Mark(), "unknown key '" + key + "' in " + what + " (known: " + known + ")");
            }
            handler->second(entry.second);
        }
    }

    std::string text(const YAML::Node& node, const std::string& what) const {
        if (!node.IsScalar()) fail(node.Mark(), what + " must be a string");
        return node.Scalar();
    }

    std::int64_t integer(const YAML::Node& node, const std::string& what, std::int64_t low, std::int64_t high) const {
        std::int64_t value = 0;
        if (!node.IsScalar() || !YAML::convert<std::int64_t>::decode(node, value)) {
            fail(node.Mark(), what + " must be an integer");
        }
        if (value < low || value > high) {
            fail(node.Mark(), what + " must be between " + std::to_string(low) + " and " + std::to_string(high));
        }
        return value;
    }

    std::chrono::milliseconds millis(const YAML::Node& node, const std::string& what) const {
        return std::chrono::milliseconds(integer(node, what, 1, 24 * 3600 * 1000));
    }

    std::uint16_t port(const YAML::Node& node, const std::string& what) const {
        return static_cast<std::uint16_t>(integer(node, what, 1, 65535));
    }

    std::vector<std::string> list(const YAML::Node& node, const std::string& what) const {
        if (!node.IsSequence()) fail(node.Mark(), what + " must be a list of strings");
        std::vector<std::string> items;
        for (const auto& item : node) items.push_back(text(item, what + " entries"));
        return items;
    }

    Argv argv(const YAML::Node& node, const std::string& what) const {
        Argv command = list(node, what);
        if (command.empty() || command[0].empty() || command[0][0] != '/') {
            fail(node.Mark(), what + " must be a list: an absolute program path, then its arguments");
        }
        return command;
    }

private:
    std::string file_;
};

CheckConfig readCheck(const Reader& r, const YAML::Node& node) {
    CheckConfig check;
    int kinds = 0;
    r.mapping(node, "a check",
              {{"name", [&](const YAML::Node& n) { check.name = r.text(n, "name"); }},
               {"process",
                [&](const YAML::Node& n) {
                    check.kind = CheckConfig::Kind::Process;
                    check.process = r.text(n, "process");
                    ++kinds;
                }},
               {"tcp",
                [&](const YAML::Node& n) {
                    check.kind = CheckConfig::Kind::Tcp;
                    r.mapping(n, "tcp", {{"host", [&](const YAML::Node& v) { check.host = r.text(v, "tcp.host"); }},
                                         {"port", [&](const YAML::Node& v) { check.port = r.port(v, "tcp.port"); }}});
                    if (check.host.empty() || check.port == 0) r.fail(n.Mark(), "tcp needs host and port");
                    ++kinds;
                }},
               {"command",
                [&](const YAML::Node& n) {
                    check.kind = CheckConfig::Kind::Command;
                    check.command = r.argv(n, "command");
                    ++kinds;
                }},
               {"timeout_ms", [&](const YAML::Node& n) { check.timeout = r.millis(n, "timeout_ms"); }}});
    if (check.name.empty()) r.fail(node.Mark(), "a check needs a name");
    if (kinds != 1) r.fail(node.Mark(), "check '" + check.name + "' needs exactly one of process, tcp, command");
    return check;
}

HylafaxConfig readHylafax(const Reader& r, const YAML::Node& node) {
    HylafaxConfig h;
    auto path = [&](std::string& into, const char* key) {
        return [&r, &into, key](const YAML::Node& n) {
            into = r.text(n, key);
            if (into.empty() || into[0] != '/') r.fail(n.Mark(), std::string(key) + " must be an absolute path");
        };
    };
    r.mapping(node, "hylafax",
              {{"spool", path(h.spool, "spool")},
               {"host", [&](const YAML::Node& n) { h.host = r.text(n, "host"); }},
               {"port", [&](const YAML::Node& n) { h.port = r.port(n, "port"); }},
               {"user", [&](const YAML::Node& n) { h.user = r.text(n, "user"); }},
               {"timeout_ms", [&](const YAML::Node& n) { h.timeout = r.millis(n, "timeout_ms"); }},
               {"bin", path(h.bin, "bin")},
               {"faxstat", path(h.faxstat, "faxstat")},
               {"sendfax", path(h.sendfax, "sendfax")},
               {"queue_user", [&](const YAML::Node& n) { h.queueUser = r.text(n, "queue_user"); }},
               {"modems", [&](const YAML::Node& n) { h.modems = r.list(n, "modems"); }},
               {"test_fax", [&](const YAML::Node& n) {
                    r.mapping(n, "test_fax",
                              {{"number", [&](const YAML::Node& v) { h.testFaxNumber = r.text(v, "test_fax.number"); }},
                               {"document", path(h.testFaxDocument, "test_fax.document")}});
                }}});
    return h;
}

Config read(const Reader& r, const YAML::Node& root, const std::string& fileName) {
    Config config;
    config.file = fileName;
    r.mapping(root, "the agent's config",
              {{"heartbeat_interval_ms", [&](const YAML::Node& n) { config.heartbeatInterval = r.millis(n, "heartbeat_interval_ms"); }},
               {"transport",
                [&](const YAML::Node& n) {
                    r.mapping(n, "transport",
                              {{"device", [&](const YAML::Node& v) { config.transport.device = r.text(v, "transport.device"); }},
                               {"tcp_listen", [&](const YAML::Node& v) { config.transport.tcpListen = r.text(v, "transport.tcp_listen"); }}});
                    if (config.transport.device.empty() == config.transport.tcpListen.empty()) {
                        r.fail(n.Mark(), "transport needs exactly one of device, tcp_listen");
                    }
                }},
               {"product",
                [&](const YAML::Node& n) {
                    r.mapping(n, "product",
                              {{"name", [&](const YAML::Node& v) { config.product = r.text(v, "product.name"); }},
                               {"version", [&](const YAML::Node& v) { config.productVersion = r.text(v, "product.version"); }}});
                }},
               {"checks",
                [&](const YAML::Node& n) {
                    if (!n.IsSequence()) r.fail(n.Mark(), "checks must be a list");
                    std::set<std::string> names;
                    if (n.size() > kMostConfiguredChecks) {
                        r.fail(n.Mark(), "at most " + std::to_string(kMostConfiguredChecks) +
                                             " checks (a heartbeat carries " + std::to_string(kMaxChecks) +
                                             ", the HylaFAX check's among them)");
                    }
                    for (const auto& item : n) {
                        config.checks.push_back(readCheck(r, item));
                        if (!names.insert(config.checks.back().name).second) {
                            r.fail(item.Mark(), "two checks named '" + config.checks.back().name + "'");
                        }
                    }
                }},
               {"hylafax", [&](const YAML::Node& n) { config.hylafax = readHylafax(r, n); }},
               {"restart_command", [&](const YAML::Node& n) { config.restartCommand = r.argv(n, "restart_command"); }},
               {"restart_timeout_ms", [&](const YAML::Node& n) { config.restartTimeout = r.millis(n, "restart_timeout_ms"); }},
               {"licence",
                [&](const YAML::Node& n) {
                    r.mapping(n, "licence",
                              {{"status", [&](const YAML::Node& v) { config.licence.status = r.argv(v, "licence.status"); }},
                               {"apply", [&](const YAML::Node& v) { config.licence.apply = r.argv(v, "licence.apply"); }},
                               {"revoke", [&](const YAML::Node& v) { config.licence.revoke = r.argv(v, "licence.revoke"); }},
                               {"timeout_ms", [&](const YAML::Node& v) { config.licence.timeout = r.millis(v, "licence.timeout_ms"); }}});
                }},
               {"telephony", [&](const YAML::Node& n) {
                    r.mapping(n, "telephony",
                              {{"pci_root", [&](const YAML::Node& v) { config.telephony.pciRoot = r.text(v, "telephony.pci_root"); }},
                               {"board_vendors",
                                [&](const YAML::Node& v) { config.telephony.boardVendors = r.list(v, "telephony.board_vendors"); }},
                               {"sr140", [&](const YAML::Node& v) { config.telephony.sr140 = r.text(v, "telephony.sr140"); }},
                               {"soft_modem", [&](const YAML::Node& v) { config.telephony.softModem = r.text(v, "telephony.soft_modem"); }}});
                }}});
    if (config.transport.device.empty() && config.transport.tcpListen.empty()) {
        r.fail(root.Mark(), "transport is missing (device or tcp_listen)");
    }
    return config;
}

}  // namespace

Config parseConfig(const std::string& text, const std::string& fileName) {
    const Reader reader(fileName);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        reader.fail(e.mark, e.msg);
    }
    if (!root.IsDefined() || root.IsNull()) throw ConfigError(fileName + ":1:1: the config is empty");
    try {
        return read(reader, root, fileName);
    } catch (const YAML::Exception& e) {
        reader.fail(e.mark, e.msg);
    }
}

Config loadConfig(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError(path + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    return parseConfig(text.str(), path);
}

}  // namespace faxover::faxguest::agent
