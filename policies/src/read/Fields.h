#pragma once
// Walking the YAML tree with a schema in hand: a Field is a value with its dotted path; a
// MappingReader checks a mapping's keys (unknown, duplicate, missing) as it is built.
#include "read/Diagnostics.h"

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faxover::policy::read {

struct Field {
    YAML::Node node{};
    YAML::Mark keyMark{};  // the key (or list item) the value belongs to
    std::string path{};    // e.g. services[1].recovery

    // Where to point at the value. yaml-cpp marks an empty value at the next token, often on the
    // next line, so an empty value is pointed at through its key.
    YAML::Mark mark() const;
    bool empty() const;  // no value at all: "key:" or "key: ~"
};

std::string childPath(const std::string& parent, std::string_view key);
std::string itemPath(const std::string& parent, std::size_t index);

// Text quoted for a message: 'text', cut at 60 characters (then its length is given), control
// characters as '?'.
std::string quoteForMessage(std::string_view text);
// How a value is named in "found ..." messages: 'text', nothing, a mapping, a list.
std::string describe(const YAML::Node& node);
// Joins names for "expected one of ..." messages: "a, b, c".
std::string joinNames(const std::vector<std::string>& names);

class MappingReader {
public:
    // A special message for a key that is not allowed, used instead of "unknown key".
    using KeyHints = std::vector<std::pair<std::string_view, std::string_view>>;
    // Whether keys starting "x-" are passed over: a place for anchors that other parts of the policy
    // merge or alias (the top level only; docs/policy.md "Anchors, aliases and merge keys").
    enum class Extensions { Refused, Allowed };
    static constexpr std::string_view kExtensionPrefix = "x-";
    // YAML's merge key: `<<: *anchor` takes the anchored mapping's keys that are not written here.
    static constexpr std::string_view kMergeKey = "<<";

    // Reports a value that is not a mapping (an empty value counts as an empty mapping), keys that
    // are not plain scalars, unknown keys (with the closest allowed key) and duplicate keys.
    MappingReader(Diagnostics& diagnostics, const Field& mapping, std::vector<std::string> allowedKeys,
                  KeyHints hints = {}, Extensions extensions = Extensions::Refused);

    bool isMapping() const { return isMapping_; }
    const Field& field() const { return mapping_; }
    std::optional<Field> find(std::string_view key) const;
    // Reports a missing key, saying what value was expected.
    std::optional<Field> require(std::string_view key, std::string_view expected) const;
    // Keys present and allowed, in the order written.
    std::vector<std::string> presentKeys() const;

private:
    void mergeDefaults(const Field& merge, const std::vector<std::string>& allowedKeys, const KeyHints& hints);
    // Keeps `key: value` as an entry when the key is allowed, else reports it as unknown.
    void accept(const YAML::Node& key, const YAML::Node& value, const std::vector<std::string>& allowedKeys,
                const KeyHints& hints);

    Diagnostics& diagnostics_;
    Field mapping_;
    bool isMapping_ = false;
    std::vector<std::pair<std::string, Field>> entries_;  // allowed keys only, first occurrence
};

// The items of a list (an empty value is an empty list); reports a value that is not a list.
std::vector<Field> listItems(Diagnostics& diagnostics, const Field& list, std::string_view expected);

// A mapping whose keys are not fixed (labels, fence agent parameters): each entry as a Field,
// keys checked only for being plain and unique.
std::vector<std::pair<std::string, Field>> openMappingEntries(Diagnostics& diagnostics, const Field& mapping,
                                                              std::string_view expected);

}  // namespace faxover::policy::read
