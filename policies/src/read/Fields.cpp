#include "read/Fields.h"

#include "read/Suggest.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace faxover::policy::read {

namespace {

constexpr std::size_t kLongestQuotedValue = 60;

bool isEmptyValue(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

// YAML lets a mapping repeat a key (yaml-cpp keeps both); in a policy that is always a mistake.
bool reportDuplicate(Diagnostics& diagnostics, const std::vector<std::pair<std::string, YAML::Mark>>& seen,
                     const std::string& name, const YAML::Mark& mark, const std::string& path) {
    auto first = std::find_if(seen.begin(), seen.end(), [&](const auto& entry) { return entry.first == name; });
    if (first == seen.end()) return false;
    diagnostics.report(mark, path,
                       "duplicate key; already set at line " + std::to_string(diagnostics.positionOf(first->second).line));
    return true;
}

void reportUnknownKey(Diagnostics& diagnostics, const YAML::Mark& mark, const std::string& path,
                      const std::string& name, const std::vector<std::string>& allowedKeys,
                      const MappingReader::KeyHints& hints) {
    auto hint = std::find_if(hints.begin(), hints.end(), [&](const auto& entry) { return entry.first == name; });
    if (hint != hints.end()) {
        diagnostics.report(mark, path, std::string(hint->second));
        return;
    }
    std::string message =
        "unknown key; expected one of " + joinNames(allowedKeys) + "; found " + quoteForMessage(name);
    if (auto suggestion = closestKey(name, allowedKeys)) message += " (did you mean '" + *suggestion + "'?)";
    diagnostics.report(mark, path, std::move(message));
}

}  // namespace

// One line, printable: a value quoted in a message must not break the message.
std::string quoteForMessage(std::string_view text) {
    std::string quoted = "'";
    for (std::size_t i = 0; i < text.size() && i < kLongestQuotedValue; ++i) {
        const char c = text[i];
        quoted += (static_cast<unsigned char>(c) < ' ' || c == 0x7f) ? '?' : c;
    }
    if (text.size() <= kLongestQuotedValue) return quoted + "'";
    return quoted + "...' (" + std::to_string(text.size()) + " characters)";
}

YAML::Mark Field::mark() const {
    if (empty()) return keyMark;
    // An alias's node is its anchor's, marked where the anchor is written, before the key that uses
    // it: point at the use, where the value does not fit.
    const YAML::Mark value = node.Mark();
    return !keyMark.is_null() && value.pos < keyMark.pos ? keyMark : value;
}

bool Field::empty() const { return isEmptyValue(node); }

std::string childPath(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string itemPath(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

std::string describe(const YAML::Node& node) {
    if (isEmptyValue(node)) return "nothing";
    if (node.IsMap()) return "a mapping";
    if (node.IsSequence()) return "a list";
    return quoteForMessage(node.Scalar());
}

std::string joinNames(const std::vector<std::string>& names) {
    std::string joined;
    for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
    return joined;
}

MappingReader::MappingReader(Diagnostics& diagnostics, const Field& mapping, std::vector<std::string> allowedKeys,
                             KeyHints hints, Extensions extensions)
    : diagnostics_(diagnostics), mapping_(mapping) {
    if (mapping.empty()) {
        isMapping_ = true;
        return;
    }
    if (!mapping.node.IsMap()) {
        diagnostics_.report(mapping.mark(), mapping.path,
                            "expected a mapping with keys " + joinNames(allowedKeys) + "; found " +
                                describe(mapping.node));
        return;
    }
    isMapping_ = true;
    std::vector<std::pair<std::string, YAML::Mark>> seen;
    std::vector<Field> merged;
    for (auto entry = mapping.node.begin(); entry != mapping.node.end(); ++entry) {
        const YAML::Node key = entry->first;  // a copy: `entry->` yields a temporary proxy
        if (!key.IsScalar()) {
            diagnostics_.report(key.Mark(), mapping.path, "expected a plain key; found " + describe(key));
            continue;
        }
        const std::string name = key.Scalar();
        const std::string path = childPath(mapping.path, name);
        if (reportDuplicate(diagnostics_, seen, name, key.Mark(), path)) continue;
        seen.emplace_back(name, key.Mark());
        if (name == kMergeKey) {
            merged.push_back(Field{entry->second, key.Mark(), path});
            continue;
        }
        if (extensions == Extensions::Allowed && name.starts_with(kExtensionPrefix)) continue;
        accept(key, entry->second, allowedKeys, hints);
    }
    for (const Field& merge : merged) mergeDefaults(merge, allowedKeys, hints);
}

void MappingReader::accept(const YAML::Node& key, const YAML::Node& value, const std::vector<std::string>& allowedKeys,
                           const KeyHints& hints) {
    const std::string name = key.Scalar();
    const std::string path = childPath(mapping_.path, name);
    if (std::find(allowedKeys.begin(), allowedKeys.end(), name) == allowedKeys.end()) {
        reportUnknownKey(diagnostics_, key.Mark(), path, name, allowedKeys, hints);
        return;
    }
    Field field{value, key.Mark(), path};
    diagnostics_.remember(path, field.mark());
    entries_.emplace_back(name, std::move(field));
}

void MappingReader::mergeDefaults(const Field& merge, const std::vector<std::string>& allowedKeys, const KeyHints& hints) {
    // `<<: *defaults` or `<<: [*a, *b]`: keys written here win, then the first mapping listed.
    std::vector<YAML::Node> sources;
    if (merge.node.IsMap()) sources.push_back(merge.node);
    if (merge.node.IsSequence())
        for (const auto& item : merge.node) sources.push_back(item);
    if (sources.empty() || std::any_of(sources.begin(), sources.end(), [](const YAML::Node& node) { return !node.IsMap(); })) {
        diagnostics_.report(merge.mark(), merge.path,
                            "expected a mapping to merge (<<: *anchor) or a list of them; found " + describe(merge.node));
        return;
    }
    for (const YAML::Node& source : sources) {
        for (auto entry = source.begin(); entry != source.end(); ++entry) {
            const YAML::Node key = entry->first;
            // Errors in a merged value point where it is written: in the anchored mapping.
            if (key.IsScalar() && !find(key.Scalar())) accept(key, entry->second, allowedKeys, hints);
        }
    }
}

std::optional<Field> MappingReader::find(std::string_view key) const {
    auto found = std::find_if(entries_.begin(), entries_.end(), [&](const auto& entry) { return entry.first == key; });
    if (found == entries_.end()) return std::nullopt;
    return found->second;
}

std::optional<Field> MappingReader::require(std::string_view key, std::string_view expected) const {
    auto found = find(key);
    if (!found && isMapping_) {
        diagnostics_.report(mapping_.mark(), childPath(mapping_.path, key),
                            "missing required key; expected " + std::string(expected));
    }
    return found;
}

std::vector<std::string> MappingReader::presentKeys() const {
    std::vector<std::string> keys;
    for (const auto& entry : entries_) keys.push_back(entry.first);
    return keys;
}

std::vector<Field> listItems(Diagnostics& diagnostics, const Field& list, std::string_view expected) {
    std::vector<Field> items;
    if (list.empty()) return items;
    if (!list.node.IsSequence()) {
        diagnostics.report(list.mark(), list.path,
                           "expected a list of " + std::string(expected) + "; found " + describe(list.node));
        return items;
    }
    std::size_t index = 0;
    for (auto item = list.node.begin(); item != list.node.end(); ++item, ++index) {
        // An empty item ("-" alone) has no mark of its own worth showing: point at the list.
        const YAML::Mark mark = isEmptyValue(*item) ? list.mark() : item->Mark();
        const std::string path = itemPath(list.path, index);
        diagnostics.remember(path, mark);
        items.push_back(Field{*item, mark, path});
    }
    return items;
}

std::vector<std::pair<std::string, Field>> openMappingEntries(Diagnostics& diagnostics, const Field& mapping,
                                                              std::string_view expected) {
    std::vector<std::pair<std::string, Field>> entries;
    std::vector<std::pair<std::string, YAML::Mark>> seen;
    if (mapping.empty()) return entries;
    if (!mapping.node.IsMap()) {
        diagnostics.report(mapping.mark(), mapping.path,
                           "expected a mapping of " + std::string(expected) + "; found " + describe(mapping.node));
        return entries;
    }
    for (auto entry = mapping.node.begin(); entry != mapping.node.end(); ++entry) {
        const YAML::Node key = entry->first;  // a copy: `entry->` yields a temporary proxy
        if (!key.IsScalar()) {
            diagnostics.report(key.Mark(), mapping.path, "expected a plain key; found " + describe(key));
            continue;
        }
        const std::string path = childPath(mapping.path, key.Scalar());
        if (reportDuplicate(diagnostics, seen, key.Scalar(), key.Mark(), path)) continue;
        seen.emplace_back(key.Scalar(), key.Mark());
        Field value{entry->second, key.Mark(), path};
        diagnostics.remember(path, value.mark());
        entries.emplace_back(key.Scalar(), std::move(value));
    }
    return entries;
}

}  // namespace faxover::policy::read
