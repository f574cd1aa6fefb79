// Fuzz-ish: thousands of damaged copies of an example must each load to a policy or to errors,
// never to an exception or a crash (the ASan build runs this too).
#include "faxover/policies/PolicyWriter.h"
#include "policy_test_support.h"

#include <fstream>
#include <random>
#include <sstream>

using namespace faxover::policy;

namespace {

std::string readExample(const char* name) {
    std::ifstream file(std::string(FAXOVER_POLICY_EXAMPLES_DIR) + "/" + name, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// Characters that matter to YAML and to our grammars, plus a few bytes that are not text.
constexpr std::string_view kInteresting = ":-[]{},#&*!|>'\"%@`?\n\t 0123456789abcxyz.:/\\\xc3\xa9\x00\xff";

std::string mutate(const std::string& original, std::mt19937& random) {
    std::string text = original;
    auto pick = [&](std::size_t bound) { return std::uniform_int_distribution<std::size_t>(0, bound)(random); };
    const int edits = 1 + static_cast<int>(pick(3));
    for (int edit = 0; edit < edits && !text.empty(); ++edit) {
        switch (pick(5)) {
            case 0: text.resize(pick(text.size())); break;                             // truncate
            case 1: std::swap(text[pick(text.size() - 1)], text[pick(text.size() - 1)]); break;
            case 2: text.insert(pick(text.size()), 1, kInteresting[pick(kInteresting.size() - 1)]); break;
            case 3: text.erase(pick(text.size() - 1), 1 + pick(8)); break;
            case 4: {  // duplicate a slice somewhere else: repeated keys, list items, nesting
                const std::size_t from = pick(text.size() - 1);
                const std::string slice = text.substr(from, 1 + pick(40));
                text.insert(pick(text.size()), slice);
                break;
            }
            default: text[pick(text.size() - 1)] = kInteresting[pick(kInteresting.size() - 1)]; break;
        }
    }
    return text;
}

}  // namespace

TEST_CASE("damaged policies load to a policy or to errors, never to an exception", "[policy]") {
    std::mt19937 random(20261122);  // fixed: a failure must be reproducible
    int loaded = 0;
    int refused = 0;
    for (const char* name : {"hylafax-pair.yaml", "site-with-dr.yaml", "lab.yaml"}) {
        const std::string original = readExample(name);
        REQUIRE_FALSE(original.empty());
        for (int round = 0; round < 1200; ++round) {
            const std::string damaged = mutate(original, random);
            PolicyLoad result;
            REQUIRE_NOTHROW(result = loadPolicyText(damaged, name));
            INFO(damaged);
            REQUIRE(result.ok() == result.errors.empty());
            if (result.ok()) {
                ++loaded;
                // What loads must also survive the writer.
                const PolicyLoad again = loadPolicyText(formatPolicy(*result.policy), "written.yaml");
                REQUIRE(again.ok());
                CHECK(*again.policy == *result.policy);
            } else {
                ++refused;
                for (const auto& error : result.errors) {
                    CHECK_FALSE(error.message.empty());
                    CHECK(error.line >= 0);
                    CHECK(error.column >= 0);
                }
            }
        }
    }
    CHECK(loaded > 0);   // some damage is harmless (a comment, a value still valid)
    CHECK(refused > 0);
}

TEST_CASE("deep nesting and huge inputs are refused, not a stack overflow", "[policy]") {
    const std::string deep = "version: 1\nhosts: " + std::string(20000, '[') + "\n";
    PolicyLoad result;
    REQUIRE_NOTHROW(result = loadPolicyText(deep, "deep.yaml"));
    CHECK_FALSE(result.ok());
    std::string wide = "version: 1\nhosts:\n";
    for (int i = 0; i < 2000; ++i) wide += "  - {name: h" + std::to_string(i) + ", uri: 'qemu:///system', fence: {method: manual}}\n";
    REQUIRE_NOTHROW(result = loadPolicyText(wide, "wide.yaml"));
    CHECK(result.errors.size() == 1999);  // the same URI, 1999 times over
}
