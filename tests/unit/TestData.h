#pragma once
// Reading the sample documents in tests/unit/data/ (libvirt XML as libvirt prints it, ...).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace faxover::testing {

inline std::string readDataFile(const std::string& name) {
    std::ifstream file(std::string(FAXOVER_TEST_DATA_DIR) + "/" + name);
    INFO("test data file " << name);
    REQUIRE(file.good());
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace faxover::testing
