#include "read/YamlDocument.h"

#include <yaml-cpp/depthguard.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace faxover::policy::read {

namespace {

// Remembers where each document's root node starts; ignores everything else.
class DocumentRoots : public YAML::EventHandler {
public:
    const std::vector<YAML::Mark>& roots() const { return roots_; }

    void OnDocumentStart(const YAML::Mark&) override { depth_ = 0; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
        node(mark);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        node(mark);
        ++depth_;
    }
    void OnSequenceEnd() override { --depth_; }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
        node(mark);
        ++depth_;
    }
    void OnMapEnd() override { --depth_; }

private:
    void node(const YAML::Mark& mark) {
        if (depth_ == 0) roots_.push_back(mark);
    }

    int depth_ = 0;
    std::vector<YAML::Mark> roots_;
};

// What stands at `position` in the text: the rest of its line, quoted and cut short.
std::string foundAt(std::string_view yaml, std::size_t position) {
    if (position >= yaml.size()) return "the end of the file";
    std::string_view rest = yaml.substr(position);
    rest = rest.substr(0, rest.find_first_of("\r\n"));
    while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
    if (rest.empty()) return "the end of the line";
    constexpr std::size_t kShown = 40;
    return "'" + std::string(rest.substr(0, kShown)) + (rest.size() > kShown ? "...'" : "'");
}

// yaml-cpp's words for the mistakes admins make, as "expected ...; found ...". Anything else keeps
// the parser's own words.
std::string explainSyntaxError(const std::string& parserMessage, std::string_view yaml, const YAML::Mark& mark) {
    struct Explanation {
        const char* parserSays;
        const char* expected;
        const char* hint;
        bool wholeLine = false;  // the parser points inside the line (at its ':'): show all of it
    };
    static constexpr Explanation kExplanations[] = {
        {YAML::ErrorMsg::END_OF_MAP, "the next 'key: value' of this mapping, indented like the keys above it",
         " (a wrong indentation, or a stray ','?)"},
        {YAML::ErrorMsg::END_OF_SEQ, "the next '- ' item of this list, indented like the items above it",
         " (check this line's indentation)"},
        {YAML::ErrorMsg::END_OF_MAP_FLOW, "',' or '}' in this { } mapping", " (a '}' missing above?)", true},
        {YAML::ErrorMsg::END_OF_SEQ_FLOW, "',' or ']' in this [ ] list", " (a ']' missing above?)", true},
        {YAML::ErrorMsg::MAP_VALUE, "a 'key: value' line indented like the keys beside it",
         " (check this line's indentation)", true},
        {YAML::ErrorMsg::BLOCK_ENTRY, "a '- ' item only where a list may start", " (check this line's indentation)"},
        {YAML::ErrorMsg::MAP_KEY, "a plain key", ""},
        {YAML::ErrorMsg::TAB_IN_INDENTATION, "spaces for indentation", " (YAML does not take tabs there)"},
    };
    const auto position = mark.is_null() ? yaml.size() : static_cast<std::size_t>(mark.pos);
    for (const Explanation& explanation : kExplanations) {
        if (parserMessage != explanation.parserSays) continue;
        std::size_t shown = position;
        if (explanation.wholeLine && position < yaml.size()) {
            const std::size_t newline = position == 0 ? std::string_view::npos : yaml.rfind('\n', position - 1);
            const std::size_t lineStart = newline == std::string_view::npos ? 0 : newline + 1;
            shown = std::min(position, yaml.find_first_not_of(' ', lineStart));
        }
        return std::string("YAML syntax error: expected ") + explanation.expected + "; found " + foundAt(yaml, shown) +
               explanation.hint;
    }
    return "YAML syntax error: " + parserMessage + "; found " + foundAt(yaml, position);
}

// The line of the '---' that starts the document whose first node is at `position` (1-based), or
// 0 when the document has none (a second document after a '...').
int separatorLine(std::string_view yaml, std::size_t position) {
    const std::size_t separator = yaml.substr(0, position).rfind("---");
    if (separator == std::string_view::npos || (separator > 0 && yaml[separator - 1] != '\n')) return 0;
    return 1 + static_cast<int>(std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(separator), '\n'));
}

}  // namespace

std::optional<YAML::Node> parseSingleDocument(Diagnostics& diagnostics, std::string_view yaml) {
    try {
        // Not YAML::LoadAll: yaml-cpp 0.7 loops forever, allocating, on a stray ',' at the top
        // level (jbeder/yaml-cpp#1040, fixed after 0.7). Documents are counted here with a bounded
        // loop; a parser that produces a second document without moving on is that bug.
        std::istringstream stream{std::string(yaml)};
        YAML::Parser parser(stream);
        DocumentRoots documents;
        for (int parsed = 0; parsed < 2 && parser.HandleNextDocument(documents); ++parsed) {
        }
        const auto& roots = documents.roots();
        if (roots.size() >= 2 && roots[1].pos == roots[0].pos) {
            const auto offending = static_cast<std::size_t>(roots[0].pos);
            const std::string character = offending < yaml.size() ? std::string(1, yaml[offending]) : "?";
            diagnostics.report(roots[0], "", "YAML syntax error: unexpected '" + character + "'",
                               PolicyErrorKind::YamlSyntax);
            return std::nullopt;
        }
        if (roots.size() >= 2) {
            const std::string remedy = "remove it and what follows, or merge the two documents)";
            if (const int line = separatorLine(yaml, static_cast<std::size_t>(roots[1].pos)); line > 0) {
                diagnostics.report(SourcePosition{line, 1}, "",
                                   "expected one YAML document; found a second one, started by this '---' (" + remedy);
            } else {
                diagnostics.report(roots[1], "", "expected one YAML document; found a second one here (" + remedy);
            }
            return std::nullopt;
        }
        return YAML::Load(std::string(yaml));  // the one document, now known to parse
    } catch (const YAML::DeepRecursion& error) {
        diagnostics.report(error.mark, "",
                           "YAML syntax error: expected nesting a few levels deep (a policy needs at most 6); found "
                           "more than " + std::to_string(error.depth()) + " levels here",
                           PolicyErrorKind::YamlSyntax);
        return std::nullopt;
    } catch (const YAML::ParserException& error) {
        diagnostics.report(error.mark, "", explainSyntaxError(error.msg, yaml, error.mark), PolicyErrorKind::YamlSyntax);
        return std::nullopt;
    }
}

}  // namespace faxover::policy::read
