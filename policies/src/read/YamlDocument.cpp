#include "read/YamlDocument.h"

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
            diagnostics.report(roots[1], "",
                               "expected one YAML document; found a second one here (remove the second '---' and "
                               "what follows, or merge the documents)");
            return std::nullopt;
        }
        return YAML::Load(std::string(yaml));  // the one document, now known to parse
    } catch (const YAML::ParserException& error) {
        diagnostics.report(error.mark, "", "YAML syntax error: " + error.msg, PolicyErrorKind::YamlSyntax);
        return std::nullopt;
    }
}

}  // namespace faxover::policy::read
