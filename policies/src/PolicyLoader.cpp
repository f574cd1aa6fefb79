#include "faxover/policies/PolicyLoader.h"

#include "read/Diagnostics.h"
#include "read/Sections.h"
#include "read/Symbols.h"
#include "read/TextCheck.h"
#include "read/YamlDocument.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace faxover::policy {

namespace {

PolicyLoad failed(read::Diagnostics& diagnostics) { return PolicyLoad{std::nullopt, diagnostics.takeErrors()}; }

PolicyLoad unreadable(const std::string& path, const std::string& why) {
    return PolicyLoad{std::nullopt, {PolicyError{PolicyErrorKind::FileUnreadable, path, 0, 0, "", "cannot read: " + why}}};
}

}  // namespace

PolicyLoad loadPolicyText(std::string_view yaml, std::string_view sourceName) {
    read::Diagnostics diagnostics(std::string(sourceName), yaml);
    // yaml-cpp throws from more places than the parser (conversions, bad subscripts, deep
    // nesting); none of it may escape, whatever the input.
    if (!read::checkIsText(diagnostics, yaml)) return failed(diagnostics);
    try {
        auto document = read::parseSingleDocument(diagnostics, yaml);
        if (!document) return failed(diagnostics);
        read::Symbols symbols;
        read::Reader reader{diagnostics, symbols};
        Policy policy = read::readPolicy(reader, read::Field{*document, document->Mark(), ""});
        if (!diagnostics.hasErrors()) return PolicyLoad{std::move(policy), {}, diagnostics.takeWarnings()};
    } catch (const YAML::Exception& error) {
        diagnostics.report(error.mark, "", "YAML error: " + error.msg);
    } catch (const std::exception& error) {
        diagnostics.report(YAML::Mark::null_mark(), "", std::string("internal error while reading the policy: ") + error.what());
    }
    return failed(diagnostics);
}

PolicyLoad loadPolicyFile(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) return unreadable(path, "it is a directory");
    std::ifstream file(path, std::ios::binary);
    if (!file) return unreadable(path, std::strerror(errno));
    // Read in chunks up to the limit rather than trusting the size: devices and pipes have none.
    std::string text;
    std::array<char, 64 * 1024> chunk{};
    while (file.read(chunk.data(), chunk.size()) || file.gcount() > 0) {
        text.append(chunk.data(), static_cast<std::size_t>(file.gcount()));
        if (text.size() > kMaxPolicyFileBytes) {
            return unreadable(path, "it is larger than " + std::to_string(kMaxPolicyFileBytes) +
                                        " bytes, the most a policy may have");
        }
    }
    if (file.bad()) return unreadable(path, std::strerror(errno));
    return loadPolicyText(text, path);
}

}  // namespace faxover::policy
