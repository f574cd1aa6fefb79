#include "faxover/faxguest/Protocol.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <array>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace faxover::faxguest {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr std::array<std::pair<CommandKind, const char*>, 7> kCommandNames{{
    {CommandKind::Quiesce, "quiesce"},
    {CommandKind::Resume, "resume"},
    {CommandKind::LicenceApply, "licence_apply"},
    {CommandKind::LicenceRevoke, "licence_revoke"},
    {CommandKind::SelfTest, "self_test"},
    {CommandKind::SendTestFax, "send_test_fax"},
    {CommandKind::RestartService, "restart_service"},
}};

// Thrown inside this file only, caught in parseLine().
class Refused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

constexpr std::array<const char*, 3> kLicenceStates{"licensed", "unlicensed", "unknown"};

// Printable ASCII only, at most kMaxTextBytes.
std::string clean(const std::string& text) {
    std::string out = text.substr(0, kMaxTextBytes);
    for (char& c : out) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return out;
}

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Object::Ptr envelope(const char* type) {
    Object::Ptr object = newObject();
    object->set("v", kProtocolVersion);
    object->set("type", std::string(type));
    return object;
}

Array::Ptr checksJson(const std::vector<CheckResult>& checks) {
    Array::Ptr array = new Array;
    for (const CheckResult& check : checks) {
        Object::Ptr item = newObject();
        item->set("name", clean(check.name));
        item->set("kind", clean(check.kind));
        item->set("ok", check.ok);
        item->set("detail", clean(check.detail));
        item->set("ms", check.elapsedMs);
        array->add(item);
    }
    return array;
}

std::string line(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    out << '\n';
    return out.str();
}

// Reads fields of one JSON object, naming each by its path in errors.
class Fields {
public:
    Fields(Object::Ptr object, std::string path) : object_(std::move(object)), path_(std::move(path)) {}

    std::string name(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

    bool has(const std::string& key) const { return object_->has(key); }

    Poco::Dynamic::Var value(const std::string& key) const {
        if (!object_->has(key)) throw Refused(name(key) + ": missing");
        return object_->get(key);
    }

    std::string text(const std::string& key) const {
        const Poco::Dynamic::Var v = value(key);
        if (!v.isString()) throw Refused(name(key) + ": expected a string");
        std::string s = v.extract<std::string>();
        if (s.size() > kMaxTextBytes) {
            throw Refused(name(key) + ": longer than " + std::to_string(kMaxTextBytes) + " bytes");
        }
        return s;
    }

    bool flag(const std::string& key) const {
        const Poco::Dynamic::Var v = value(key);
        if (!v.isBoolean()) throw Refused(name(key) + ": expected a boolean");
        return v.extract<bool>();
    }

    std::int64_t count(const std::string& key) const {
        const Poco::Dynamic::Var v = value(key);
        if (!v.isInteger() || v.isBoolean()) throw Refused(name(key) + ": expected an integer");
        std::int64_t n = 0;
        try {
            n = v.convert<std::int64_t>();
        } catch (const Poco::Exception&) {
            throw Refused(name(key) + ": integer out of range");
        }
        if (n < 0) throw Refused(name(key) + ": must not be negative");
        return n;
    }

    Fields object(const std::string& key) const {
        const Poco::Dynamic::Var v = value(key);
        if (v.type() != typeid(Object::Ptr)) throw Refused(name(key) + ": expected an object");
        return Fields(v.extract<Object::Ptr>(), name(key));
    }

    // Calls `each` with the fields of every element, which must be objects.
    void list(const std::string& key, std::size_t most, const std::function<void(const Fields&)>& each) const {
        const Poco::Dynamic::Var v = value(key);
        if (v.type() != typeid(Array::Ptr)) throw Refused(name(key) + ": expected an array");
        const Array::Ptr array = v.extract<Array::Ptr>();
        if (array->size() > most) {
            throw Refused(name(key) + ": more than " + std::to_string(most) + " entries");
        }
        for (std::size_t i = 0; i < array->size(); ++i) {
            const std::string element = name(key) + "[" + std::to_string(i) + "]";
            const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
            if (item.type() != typeid(Object::Ptr)) throw Refused(element + ": expected an object");
            each(Fields(item.extract<Object::Ptr>(), element));
        }
    }

private:
    Object::Ptr object_;
    std::string path_;
};

CommandKind commandKind(const Fields& fields, const std::string& key) {
    const std::string text = fields.text(key);
    for (const auto& [kind, name] : kCommandNames) {
        if (text == name) return kind;
    }
    throw Refused(fields.name(key) + ": unknown command '" + clean(text) + "'");
}

std::vector<CheckResult> readChecks(const Fields& fields) {
    std::vector<CheckResult> checks;
    fields.list("checks", kMaxChecks, [&](const Fields& item) {
        checks.push_back({item.text("name"), item.text("kind"), item.flag("ok"), item.text("detail"), item.count("ms")});
    });
    return checks;
}

Heartbeat readHeartbeat(const Fields& fields) {
    Heartbeat h;
    h.seq = fields.count("seq");
    const Fields agent = fields.object("agent");
    h.agentVersion = agent.text("version");
    h.agentRssKiB = agent.count("rss_kib");
    const Fields product = fields.object("product");
    h.product = product.text("name");
    h.productVersion = product.text("version");
    h.healthy = fields.flag("healthy");
    h.quiesced = fields.flag("quiesced");
    h.checks = readChecks(fields);
    const Fields telephony = fields.object("telephony");
    telephony.list("boards", kMaxBoards, [&](const Fields& board) {
        h.telephony.boards.push_back({board.text("address"), board.text("vendor"), board.text("device")});
    });
    h.telephony.sr140 = telephony.flag("sr140");
    h.telephony.softModem = telephony.flag("soft_modem");
    telephony.list("modems", kMaxModems, [&](const Fields& modem) {
        h.telephony.modems.push_back({modem.text("name"), modem.text("state")});
    });
    const Fields queues = fields.object("queues");
    h.queues = {queues.count("outbound"), queues.count("inbound"), queues.count("active")};
    const Fields licence = fields.object("licence");
    h.licence.state = licence.text("state");
    bool known = false;
    for (const char* state : kLicenceStates) known = known || h.licence.state == state;
    if (!known) throw Refused(licence.name("state") + ": unknown licence state '" + clean(h.licence.state) + "'");
    h.licence.detail = licence.text("detail");
    return h;
}

Command readCommand(const Fields& fields) {
    Command c;
    c.id = fields.text("id");
    c.kind = commandKind(fields, "command");
    if (c.kind == CommandKind::Quiesce) c.timeoutMs = fields.count("timeout_ms");
    return c;
}

Reply readReply(const Fields& fields) {
    Reply r;
    r.id = fields.text("id");
    r.kind = commandKind(fields, "command");
    r.ok = fields.flag("ok");
    r.detail = fields.text("detail");
    r.checks = readChecks(fields);
    return r;
}

}  // namespace

std::string commandName(CommandKind kind) {
    for (const auto& [k, name] : kCommandNames) {
        if (k == kind) return name;
    }
    return "unknown";
}

std::string encodeLine(const Heartbeat& h) {
    Object::Ptr object = envelope("heartbeat");
    object->set("seq", h.seq);
    Object::Ptr agent = newObject();
    agent->set("version", clean(h.agentVersion));
    agent->set("rss_kib", h.agentRssKiB);
    object->set("agent", agent);
    Object::Ptr product = newObject();
    product->set("name", clean(h.product));
    product->set("version", clean(h.productVersion));
    object->set("product", product);
    object->set("healthy", h.healthy);
    object->set("quiesced", h.quiesced);
    object->set("checks", checksJson(h.checks));
    Object::Ptr telephony = newObject();
    Array::Ptr boards = new Array;
    for (const PciBoard& board : h.telephony.boards) {
        Object::Ptr item = newObject();
        item->set("address", clean(board.address));
        item->set("vendor", clean(board.vendor));
        item->set("device", clean(board.device));
        boards->add(item);
    }
    telephony->set("boards", boards);
    telephony->set("sr140", h.telephony.sr140);
    telephony->set("soft_modem", h.telephony.softModem);
    Array::Ptr modems = new Array;
    for (const ModemState& modem : h.telephony.modems) {
        Object::Ptr item = newObject();
        item->set("name", clean(modem.name));
        item->set("state", clean(modem.state));
        modems->add(item);
    }
    telephony->set("modems", modems);
    object->set("telephony", telephony);
    Object::Ptr queues = newObject();
    queues->set("outbound", h.queues.outbound);
    queues->set("inbound", h.queues.inbound);
    queues->set("active", h.queues.active);
    object->set("queues", queues);
    Object::Ptr licence = newObject();
    licence->set("state", clean(h.licence.state));
    licence->set("detail", clean(h.licence.detail));
    object->set("licence", licence);
    return line(object);
}

std::string encodeLine(const Command& c) {
    Object::Ptr object = envelope("command");
    object->set("id", clean(c.id));
    object->set("command", commandName(c.kind));
    if (c.kind == CommandKind::Quiesce) object->set("timeout_ms", c.timeoutMs);
    return line(object);
}

std::string encodeLine(const Reply& r) {
    Object::Ptr object = envelope("reply");
    object->set("id", clean(r.id));
    object->set("command", commandName(r.kind));
    object->set("ok", r.ok);
    object->set("detail", clean(r.detail));
    object->set("checks", checksJson(r.checks));
    return line(object);
}

namespace {

Message parse(std::string_view text) {
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    if (text.size() > kMaxLineBytes) {
        throw Refused("line longer than " + std::to_string(kMaxLineBytes) + " bytes");
    }
    Poco::Dynamic::Var root;
    try {
        Poco::JSON::Parser parser;
        parser.setDepth(kMaxJsonDepth);
        root = parser.parse(std::string(text));
    } catch (const Poco::Exception& e) {
        throw Refused("not valid JSON: " + clean(e.displayText()));
    } catch (const std::exception& e) {
        throw Refused(std::string("not valid JSON: ") + clean(e.what()));
    }
    if (root.type() != typeid(Object::Ptr)) throw Refused("not a JSON object");
    const Fields fields(root.extract<Object::Ptr>(), "");
    const Poco::Dynamic::Var version = fields.value("v");
    if (!version.isInteger() || version.isBoolean()) throw Refused("v: expected an integer");
    std::int64_t number = -1;
    try {
        number = version.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
        number = -1;  // too large for any version: refused below
    }
    if (number != kProtocolVersion) {
        throw Refused("unsupported protocol version " + version.toString() + " (this side speaks " +
                            std::to_string(kProtocolVersion) + ")");
    }
    const std::string type = fields.text("type");
    if (type == "heartbeat") return readHeartbeat(fields);
    if (type == "command") return readCommand(fields);
    if (type == "reply") return readReply(fields);
    throw Refused("type: unknown message type '" + clean(type) + "'");
}

}  // namespace

ParseResult parseLine(std::string_view line) {
    try {
        return parse(line);
    } catch (const Refused& e) {
        return ProtocolError{e.what()};
    } catch (const std::exception& e) {
        return ProtocolError{std::string("refused: ") + clean(e.what())};
    }
}

std::vector<LineReader::Item> LineReader::feed(std::string_view bytes) {
    std::vector<Item> items;
    while (!bytes.empty()) {
        const std::size_t end = bytes.find('\n');
        const std::string_view chunk = bytes.substr(0, end);
        if (!discarding_) {
            if (pending_.size() + chunk.size() > max_) {
                discarding_ = true;
                pending_.clear();
                items.push_back({"", "line longer than " + std::to_string(max_) + " bytes dropped"});
            } else {
                pending_.append(chunk);
            }
        }
        if (end == std::string_view::npos) break;
        if (!discarding_) items.push_back({std::move(pending_), ""});
        pending_.clear();
        discarding_ = false;
        bytes.remove_prefix(end + 1);
    }
    return items;
}

}  // namespace faxover::faxguest
