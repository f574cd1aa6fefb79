// The domain's identity from the XML libvirt hands the hook (real libvirt output in tests/unit/data).
#include "faxover/hook/DomainIdentity.h"

#include <catch2/catch.hpp>

#include "TestData.h"

using namespace faxover::hook;
using Catch::Matchers::Contains;
using faxover::testing::readDataFile;

TEST_CASE("hook XML: name and UUID from libvirt's domain XML", "[hook]") {
    struct Sample {
        const char* file;
        const char* name;
        const char* uuid;
    };
    for (const Sample& sample :
         {Sample{"domain-lab-tcg-live.xml", "faxlab-linux", "2d9f4b61-0c57-4e0b-9f3a-7be2a4c81e05"},
          Sample{"domain-fax-kvm-live.xml", "fax-01", "6f0a3c7e-2b1d-4d8a-9a4e-5c1f0e2b7d31"},
          Sample{"domain-fax-local-storage.xml", "fax-02", "b3e1d7c2-94a0-4f6e-8d15-2c7a9e0f4b38"}}) {
        INFO(sample.file);
        auto identity = readDomainXml(readDataFile(sample.file));
        REQUIRE(identity);
        CHECK(identity.value().name == sample.name);
        CHECK(identity.value().uuid == sample.uuid);
    }
}

TEST_CASE("hook XML: the UUID is read as a UUID, in lower case", "[hook]") {
    auto identity = readDomainXml(
        "<domain type='qemu'><name>x</name><uuid> 2D9F4B61-0C57-4E0B-9F3A-7BE2A4C81E05 "
        "</uuid><description>&lt;uuid&gt;00000000-0000-0000-0000-000000000001&lt;/uuid&gt;"
        "</description></domain>");
    REQUIRE(identity);
    CHECK(identity.value().uuid == "2d9f4b61-0c57-4e0b-9f3a-7be2a4c81e05");
}

TEST_CASE("hook XML: unreadable XML is a clear error", "[hook]") {
    auto problem = [](const std::string& xml) {
        auto identity = readDomainXml(xml);
        REQUIRE_FALSE(identity);
        return identity.error();
    };
    CHECK_THAT(problem(""), Contains("not well-formed"));
    CHECK_THAT(problem("<domain><name>x</name>"), Contains("not well-formed"));
    CHECK_THAT(problem("<network><uuid>2d9f4b61-0c57-4e0b-9f3a-7be2a4c81e05</uuid></network>"),
               Contains("not a <domain>"));
    CHECK_THAT(problem("<domain><name>x</name></domain>"), Contains("no <uuid>"));
    CHECK_THAT(problem("<domain><name>x</name><uuid>not-a-uuid</uuid></domain>"),
               Contains("'not-a-uuid' is not a UUID"));
}
