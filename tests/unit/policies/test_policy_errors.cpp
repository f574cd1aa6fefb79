// Each kind of error, with the exact file:line:column an editor would jump to.
#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;

namespace {

// kMinimalPolicy followed by `extra` (which starts on line 7).
std::string minimalWith(std::string_view extra) { return std::string(kMinimalPolicy) + std::string(extra); }

}  // namespace

TEST_CASE("a YAML syntax error stops reading and points where the parser stopped", "[policy]") {
    auto error = onlyError("version: 1\nhosts: [hv1, hv2\nservices: []\n");
    CHECK(error.kind == PolicyErrorKind::YamlSyntax);
    CHECK(error.line == 3);
    CHECK(error.column == 9);
    CHECK(error.toString() == "p.yaml:3:9: YAML syntax error: expected ',' or ']' in this [ ] list; found 'services: []' (a ']' missing above?)");
}

TEST_CASE("a YAML indentation error is a syntax error at its line", "[policy]") {
    auto error = onlyError("version: 1\nhosts:\n  - name: hv1\n   uri: x\n");
    CHECK(error.kind == PolicyErrorKind::YamlSyntax);
    CHECK(error.line == 4);
    CHECK_THAT(error.message, Catch::StartsWith("YAML syntax error: "));
}

TEST_CASE("a second YAML document is refused rather than ignored", "[policy]") {
    // At its '---' (line 7), not at the second document's first node; the file has one '---'.
    auto error = onlyError(minimalWith("---\nversion: 1\n"));
    CHECK(error.toString() ==
          "p.yaml:7:1: expected one YAML document; found a second one, started by this '---' (remove it and what "
          "follows, or merge the two documents)");
    CHECK(onlyError(minimalWith("---\n\n# the DR site\nversion: 1\n")).line == 7);
}

TEST_CASE("a stray comma at the top level is a syntax error, not an endless parse", "[policy]") {
    // yaml-cpp 0.7's LoadAll never returns on this input (jbeder/yaml-cpp#1040).
    for (const char* text : {",", ", a\nb: 1\n", "# comment\n, sends faxes\nversion: 1\n"}) {
        INFO(text);
        auto error = onlyError(text);
        CHECK(error.kind == PolicyErrorKind::YamlSyntax);
        CHECK(error.message == "YAML syntax error: unexpected ','");
    }
    CHECK(onlyError("# comment\n, sends faxes\n").toString() == "p.yaml:2:1: YAML syntax error: unexpected ','");
}

TEST_CASE("an empty policy says what a policy holds", "[policy]") {
    for (const char* empty : {"", "# only a comment\n", "~\n"}) {
        INFO(empty);
        auto error = onlyError(empty);
        CHECK_THAT(error.message, Catch::StartsWith("the policy is empty; expected a mapping with keys version, "));
    }
}

TEST_CASE("a policy that is not a mapping", "[policy]") {
    CHECK(onlyError("- version: 1\n").toString() ==
          "p.yaml:1:1: expected a mapping with keys version, monitoring, fencing, hosts, services, maintenance, "
          "licences, board_models, events; found a list");
}

TEST_CASE("unknown keys at every level, with the closest allowed key", "[policy]") {
    CHECK(onlyError(minimalWith("servics: []\n")).toString() ==
          "p.yaml:7:1: servics: unknown key; expected one of version, monitoring, fencing, hosts, services, "
          "maintenance, licences, board_models, events; found 'servics' (did you mean 'services'?)");
    CHECK(onlyError(minimalWith("monitoring: {timout: 300ms}\n")).toString() ==
          "p.yaml:7:14: monitoring.timout: unknown key; expected one of profile, interval, timeout, warn_count, "
          "failover_count, failover_count_after_restart, shutdown_policy, shutdown_grace; found 'timout' (did you mean "
          "'timeout'?)");
    auto host = onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n    fence: {method: manual}\n"
                          "    migration_adress: x\n");
    CHECK(host.line == 6);
    CHECK(host.column == 5);
    CHECK(host.key == "hosts[0].migration_adress");
    CHECK_THAT(host.message, Catch::EndsWith("found 'migration_adress' (did you mean 'migration_address'?)"));
    auto parameter = onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n"
                               "    fence: {method: agent, command: fence_x, timeuot: 5s}\n");
    CHECK(parameter.toString() ==
          "p.yaml:5:46: hosts[0].fence.timeuot: unknown key; expected one of method, command, parameters, timeout, "
          "instructions; found 'timeuot' (did you mean 'timeout'?)");
}

TEST_CASE("an unknown key far from every allowed key gets no suggestion", "[policy]") {
    auto error = onlyError(minimalWith("colour: blue\n"));
    CHECK(error.key == "colour");
    CHECK_THAT(error.message, !Catch::Contains("did you mean"));
}

TEST_CASE("an abbreviated key is matched to the one key it starts", "[policy]") {
    auto error = onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n    migration: h\n"
                           "    fence: {method: manual}\n");
    CHECK(error.toString() ==
          "p.yaml:5:5: hosts[0].migration: unknown key; expected one of name, uri, migration_address, site, capacity, "
          "labels, fence, monitoring, boards, probe; found 'migration' (did you mean 'migration_address'?)");
}

TEST_CASE("keys are case-sensitive, and the suggestion shows the right case", "[policy]") {
    auto error = onlyError(minimalWith("Services: []\n"));
    CHECK_THAT(error.message, Catch::EndsWith("found 'Services' (did you mean 'services'?)"));
}

TEST_CASE("a key written twice in one mapping", "[policy]") {
    auto error = onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n    fence: {method: manual}\n"
                           "    name: hv2\n");
    CHECK(error.toString() == "p.yaml:6:5: hosts[0].name: duplicate key; already set at line 3");
}

TEST_CASE("missing required keys are reported at their mapping", "[policy]") {
    CHECK(onlyError("hosts:\n  - {name: hv1, uri: 'qemu:///system', fence: {method: manual}}\n").toString() ==
          "p.yaml:1:1: version: missing required key; expected 1, the policy format version this Faxover reads");
    CHECK(onlyError("version: 1\n").toString() == "p.yaml:1:1: hosts: missing required key; expected a list of hosts");
    CHECK(onlyError("version: 1\nhosts:\n  - name: hv1\n    fence: {method: manual}\n").toString() ==
          "p.yaml:3:5: hosts[0].uri: missing required key; expected a libvirt URI DRIVER[+TRANSPORT]://[HOST]/PATH "
          "such as qemu+tcp://10.0.0.11/system or qemu:///system");
    CHECK(onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n").toString() ==
          "p.yaml:3:5: hosts[0].fence: missing required key; expected a fence level (method: agent, libvirt-destroy "
          "or manual) or a list of them");
}

TEST_CASE("a remote host needs a migration address, a local one does not", "[policy]") {
    CHECK(onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu+ssh://root@hv1/system\n"
                    "    fence: {method: manual}\n")
              .toString() ==
          "p.yaml:3:5: hosts[0].migration_address: missing required key (the uri names a remote host); expected the "
          "address peers send migration traffic to: a host name or IP address, with no scheme or port");
    loadValid("version: 1\nhosts:\n  - name: hv1\n    uri: qemu:///system\n    fence: {method: manual}\n");
}

TEST_CASE("hosts must be a non-empty list", "[policy]") {
    CHECK(onlyError("version: 1\nhosts: []\n").toString() == "p.yaml:2:8: hosts: expected at least one host; found none");
    CHECK(onlyError("version: 1\nhosts: hv1\n").toString() ==
          "p.yaml:2:8: hosts: expected a list of hosts; found 'hv1'");
    CHECK(onlyError("version: 1\nhosts:\n").toString() == "p.yaml:2:1: hosts: expected at least one host; found none");
}

TEST_CASE("only format version 1 is read", "[policy]") {
    auto yaml = std::string(kMinimalPolicy);
    yaml.replace(yaml.find("version: 1"), 10, "version: 2");
    CHECK(onlyError(yaml).toString() == "p.yaml:1:10: version: expected 1, the policy format version this Faxover "
                                        "reads; found '2'");
}

TEST_CASE("names follow one grammar", "[policy]") {
    auto error = onlyError("version: 1\nhosts:\n  - name: 'hv 1'\n    uri: qemu:///system\n    fence: {method: manual}\n");
    CHECK(error.toString() == "p.yaml:3:11: hosts[0].name: expected a name (letters, digits, '.', '_', '-'; starting "
                              "with a letter or digit; at most 63 characters); found 'hv 1'");
    CHECK(onlyError("version: 1\nhosts:\n  - name: -hv\n    uri: qemu:///system\n    fence: {method: manual}\n").key ==
          "hosts[0].name");
}

TEST_CASE("libvirt URIs need a scheme, :// and a path", "[policy]") {
    for (const char* bad : {"10.0.0.11", "qemu:/system", "qemu+tcp://10.0.0.11", "://host/system", "qemu tcp://h/system",
                            "1qemu://h/system"}) {
        INFO(bad);
        auto error = onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: '" + std::string(bad) +
                               "'\n    fence: {method: manual}\n");
        CHECK(error.line == 4);
        CHECK(error.column == 10);
        CHECK(error.key == "hosts[0].uri");
        CHECK_THAT(error.message, Catch::StartsWith("expected a libvirt URI"));
    }
    for (const char* good : {"qemu:///system", "test:///default", "qemu+ssh://root@hv1.example:2222/system?keyfile=/k",
                             "qemu+tls://hv1/system", "qemu+tcp://[fd00::11]/system"}) {
        INFO(good);
        loadValid("version: 1\nhosts:\n  - name: hv1\n    uri: '" + std::string(good) +
                  "'\n    migration_address: hv1\n    fence: {method: manual}\n");
    }
}

TEST_CASE("a migration address is an address, not a URI", "[policy]") {
    auto error = onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: qemu+tcp://h/system\n"
                           "    migration_address: tcp://10.0.0.11:49152\n    fence: {method: manual}\n");
    CHECK(error.line == 5);
    CHECK(error.column == 24);
    CHECK(error.key == "hosts[0].migration_address");
}

TEST_CASE("two hosts with one name, one URI or one migration address", "[policy]") {
    const std::string yaml =
        "version: 1\n"
        "hosts:\n"
        "  - {name: hv1, uri: 'qemu+tcp://a/system', migration_address: a, fence: {method: manual}}\n"
        "  - {name: hv1, uri: 'qemu+tcp://a/system', migration_address: A, fence: {method: manual}}\n";
    CHECK(errorsOf(yaml) == std::vector<std::string>{
                                "p.yaml:4:12: hosts[1].name: duplicate host 'hv1'; already used by hosts[0].name at line 3",
                                "p.yaml:4:22: hosts[1].uri: duplicate libvirt URI 'qemu+tcp://a:16509/system'; already "
                                "used by hosts[0].uri at line 3",
                                "p.yaml:4:64: hosts[1].migration_address: duplicate migration address 'a'; already used "
                                "by hosts[0].migration_address at line 3"});
    // One libvirtd, spelled another way: letter case, the default port written out.
    for (const char* same : {"QEMU+TCP://A/system", "qemu+tcp://a:16509/system", "qemu+tcp://root@a/system"}) {
        INFO(same);
        const auto errors = errorsOf("version: 1\nhosts:\n"
                                     "  - {name: hv1, uri: 'qemu+tcp://a/system', migration_address: a, fence: {method: manual}}\n"
                                     "  - {name: hv2, uri: '" + std::string(same) + "', migration_address: b, fence: {method: manual}}\n");
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors.front(), Catch::Contains("duplicate libvirt URI 'qemu+tcp://a:16509/system'"));
    }
    // Another port or transport is another libvirtd.
    loadValid("version: 1\nhosts:\n"
              "  - {name: hv1, uri: 'qemu+tcp://a/system', migration_address: a, fence: {method: manual}}\n"
              "  - {name: hv2, uri: 'qemu+tls://a/system', migration_address: b, fence: {method: manual}}\n");
}

TEST_CASE("a URI Faxover cannot use says why", "[policy]") {
    const auto uriError = [](const std::string& uri) {
        return onlyError("version: 1\nhosts:\n  - name: hv1\n    uri: '" + uri +
                         "'\n    migration_address: a\n    fence: {method: manual}\n").message;
    };
    CHECK_THAT(uriError("https://hv1:8006/"),
               Catch::EndsWith("found 'https://hv1:8006/': this is a web address (a management web interface?), not "
                               "the address of libvirtd"));
    CHECK_THAT(uriError("http://host/"), Catch::Contains("this is a web address"));
    CHECK_THAT(uriError("qemu+tcp://hv1:99999/system"), Catch::EndsWith(": port 99999 is not a TCP port (1 to 65535)"));
    CHECK_THAT(uriError("xen+ssh://hv1/system"),
               Catch::EndsWith("Faxover drives QEMU/KVM virtual machines: the driver must be qemu, not 'xen'"));
    CHECK_THAT(uriError("qemu+telnet://hv1/system"), Catch::Contains("'telnet' is not a libvirt transport"));
}

TEST_CASE("an enum value outside its set lists the allowed values", "[policy]") {
    const std::string services = "services:\n  - {name: fax0, domain: fax0}\n  - name: fax1\n    domain: fax1\n"
                                 "    recovery: live\n";
    CHECK(onlyError(minimalWith(services)).toString() ==
          "p.yaml:11:15: services[1].recovery: expected one of live-migrate-if-possible, restart-only; found 'live'");
    auto close = onlyError(minimalWith("services:\n  - {name: fax1, domain: fax1, recovery: restart_only}\n"));
    CHECK(close.message ==
          "expected one of live-migrate-if-possible, restart-only; found 'restart_only' (did you mean 'restart-only'?)");
    auto telephony = onlyError(minimalWith("services:\n  - {name: fax1, domain: fax1, telephony: SR140}\n"));
    CHECK(telephony.message == "expected one of sr140, board, auto; found 'SR140' (did you mean 'sr140'?)");
}

TEST_CASE("integers must be whole numbers in their documented range", "[policy]") {
    for (const char* bad : {"0", "101", "50.5", "1e2", "high", "-3", "0x10"}) {
        INFO(bad);
        auto error = onlyError(minimalWith("services:\n  - {name: fax1, domain: fax1, priority: " + std::string(bad) + "}\n"));
        CHECK(error.line == 8);
        CHECK(error.column == 42);
        CHECK(error.message == "expected a whole number from 1 to 100; found '" + std::string(bad) + "'");
    }
}

TEST_CASE("switches are on/off, true/false or yes/no", "[policy]") {
    for (const char* on : {"on", "true", "yes"}) {
        CHECK(loadValid(minimalWith("services:\n  - {name: f, domain: f, failback: " + std::string(on) + "}\n"))
                  .services[0]
                  .failback);
    }
    auto error = onlyError(minimalWith("services:\n  - {name: f, domain: f, failback: On}\n"));
    CHECK(error.toString() ==
          "p.yaml:8:36: services[0].failback: expected on or off (true/false and yes/no also work); found 'On'");
}

TEST_CASE("a value of the wrong shape says which shape was found", "[policy]") {
    CHECK(onlyError(minimalWith("services: {name: fax1}\n")).toString() ==
          "p.yaml:7:11: services: expected a list of services; found a mapping");
    CHECK(onlyError(minimalWith("services:\n  - fax1\n")).toString() ==
          "p.yaml:8:5: services[0]: expected a mapping with keys name, domain, domain_xml, telephony, priority, "
          "preferred_hosts, preferred_sites, anti_affinity, required_labels, recovery, max_restart, max_relocate, "
          "failback, retry_delay, return_after_maintenance, licence, role, stands_in_for, standby_capacity, "
          "trunk_group, board_models, telco_hook, shutdown_timeout, fax_health, guest_agent; found 'fax1'");
    CHECK(onlyError(minimalWith("services:\n  - {name: [a], domain: fax1}\n")).toString() ==
          "p.yaml:8:12: services[0].name: expected a name (letters, digits, '.', '_', '-'; starting with a letter or "
          "digit; at most 63 characters); found a list");
}

TEST_CASE("an empty value is pointed at through its key", "[policy]") {
    auto error = onlyError(minimalWith("services:\n  - name: fax1\n    domain:\n    priority: 5\n"));
    CHECK(error.toString() == "p.yaml:9:5: services[0].domain: expected the libvirt domain's name (at most 255 "
                              "characters, no '/' or control characters) or its UUID; found nothing");
}

TEST_CASE("services: unique names and domains", "[policy]") {
    const std::string services = "services:\n"
                                 "  - {name: fax1, domain: vm1}\n"
                                 "  - {name: fax1, domain: vm2}\n"
                                 "  - {name: fax3, domain: VM1}\n"
                                 "  - {name: fax4, domain: vm1}\n";
    CHECK(errorsOf(minimalWith(services)) ==
          std::vector<std::string>{
              "p.yaml:9:12: services[1].name: duplicate service 'fax1'; already used by services[0].name at line 8",
              "p.yaml:11:26: services[3].domain: duplicate domain 'vm1'; already used by services[0].domain at line 8"});
}

TEST_CASE("a domain UUID is recognised and kept in lower case", "[policy]") {
    auto policy = loadValid(minimalWith("services:\n  - {name: f, domain: 5B8F3C2E-0D4E-4F7A-9A51-2C0E8D9B6A10}\n"));
    CHECK(policy.services[0].domain.kind == DomainRef::Kind::Uuid);
    CHECK(policy.services[0].domain.value == "5b8f3c2e-0d4e-4f7a-9a51-2c0e8d9b6a10");
    auto named = loadValid(minimalWith("services:\n  - {name: f, domain: 5b8f3c2e-not-a-uuid}\n"));
    CHECK(named.services[0].domain.kind == DomainRef::Kind::Name);
    CHECK(onlyError(minimalWith("services:\n  - {name: f, domain: a/b}\n")).key == "services[0].domain");
}

TEST_CASE("domain_xml is from-host or an absolute path", "[policy]") {
    auto error = onlyError(minimalWith("services:\n  - {name: f, domain: f, domain_xml: domains/f.xml}\n"));
    CHECK(error.toString() == "p.yaml:8:38: services[0].domain_xml: expected from-host, or the absolute path of a "
                              "domain XML file such as /etc/faxover/domains/fax1.xml; found 'domains/f.xml'");
}

TEST_CASE("references to hosts, sites and services must resolve", "[policy]") {
    const std::string yaml = std::string(kMinimalPolicy) +
                             "    site: main\n"
                             "services:\n"
                             "  - name: fax1\n"
                             "    domain: fax1\n"
                             "    preferred_hosts: [hv1, hv2]\n"
                             "    preferred_sites: [mian]\n"
                             "    anti_affinity: [fax1, fax3]\n";
    CHECK(errorsOf(yaml) ==
          std::vector<std::string>{
              "p.yaml:11:28: services[0].preferred_hosts[1]: unknown host 'hv2'; expected one of hv1 (did you mean "
              "'hv1'?)",
              "p.yaml:12:23: services[0].preferred_sites[0]: unknown site 'mian'; expected one of main (did you mean "
              "'main'?)",
              "p.yaml:13:21: services[0].anti_affinity[0]: expected other services' names; found the service's own "
              "name 'fax1'",
              "p.yaml:13:27: services[0].anti_affinity[1]: unknown service 'fax3'; expected one of fax1 (did you "
              "mean 'fax1'?)"});
}

TEST_CASE("references may point forward in the file", "[policy]") {
    loadValid("version: 1\n"
              "services:\n"
              "  - {name: a, domain: a, preferred_hosts: [hv1], anti_affinity: [b]}\n"
              "  - {name: b, domain: b, anti_affinity: [a]}\n"
              "hosts:\n"
              "  - {name: hv1, uri: 'qemu:///system', fence: {method: manual}}\n");
}

TEST_CASE("a name listed twice in one list", "[policy]") {
    CHECK(onlyError(minimalWith("services:\n  - {name: f, domain: f, preferred_hosts: [hv1, hv1]}\n")).toString() ==
          "p.yaml:8:49: services[0].preferred_hosts[1]: 'hv1' is listed twice");
}

TEST_CASE("every error in a file is reported, in file order", "[policy]") {
    const std::string yaml = "version: 1\n"
                             "monitoring:\n"
                             "  interval: 2\n"
                             "hosts:\n"
                             "  - name: hv1\n"
                             "    uri: nowhere\n"
                             "    fence: {method: stonith}\n"
                             "services:\n"
                             "  - name: fax1\n"
                             "    domain: fax1\n"
                             "    recovery: live\n"
                             "    preferred_hosts: [hv9]\n"
                             "    priority: 0\n"
                             "    colour: red\n";
    const auto lines = errorsOf(yaml);
    REQUIRE(lines.size() == 7);
    CHECK_THAT(lines[0], Catch::StartsWith("p.yaml:3:13: monitoring.interval: expected a duration"));
    CHECK_THAT(lines[1], Catch::StartsWith("p.yaml:6:10: hosts[0].uri: expected a libvirt URI"));
    CHECK_THAT(lines[2], Catch::StartsWith("p.yaml:7:21: hosts[0].fence.method: expected one of agent, libvirt-destroy, "
                                           "manual; found 'stonith'"));
    CHECK_THAT(lines[3], Catch::StartsWith("p.yaml:11:15: services[0].recovery: expected one of"));
    CHECK_THAT(lines[4], Catch::StartsWith("p.yaml:12:23: services[0].preferred_hosts[0]: unknown host 'hv9'"));
    CHECK_THAT(lines[5], Catch::StartsWith("p.yaml:13:15: services[0].priority: expected a whole number"));
    CHECK_THAT(lines[6], Catch::StartsWith("p.yaml:14:5: services[0].colour: unknown key"));
}

TEST_CASE("columns count characters, not bytes, as editors do", "[policy]") {
    // The 0 is the 39th character of its line and its 40th byte (é takes two).
    auto error = onlyError(minimalWith("services:\n  - {name: f, domain: \"fé\", priority: 0}\n"));
    CHECK(error.line == 8);
    CHECK(error.column == 39);
    auto label = onlyError(minimalWith("    labels: {zone: zürich, unit: [x]}\n"));
    CHECK(label.toString() == "p.yaml:7:34: hosts[0].labels.unit: expected a label value (text of at most 253 "
                              "characters); found a list");
}

TEST_CASE("a byte order mark and CRLF line ends do not shift positions", "[policy]") {
    std::string yaml = "\xEF\xBB\xBF" "version: 2\r\nhosts:\r\n  - {name: hv1, uri: 'qemu:///system', fence: {method: manual}}\r\n";
    CHECK(onlyError(yaml).toString() ==
          "p.yaml:1:10: version: expected 1, the policy format version this Faxover reads; found '2'");
}

TEST_CASE("a file that is not UTF-8 text is refused at its first bad byte", "[policy]") {
    auto latin1 = onlyError("version: 1\n# caf\xe9 du commerce\nhosts: []\n");
    CHECK(latin1.kind == PolicyErrorKind::YamlSyntax);
    CHECK(latin1.toString() == "p.yaml:2:6: expected UTF-8 text; found byte 0xE9, which is not UTF-8 (a Latin-1 or "
                               "Windows-1252 '\xc3\xa9'?): save the file as UTF-8");
    CHECK(onlyError(std::string("version: 1\n\x00\x01\x02\xff\xfe garbage\n", 22)).toString() ==
          "p.yaml:2:1: expected UTF-8 text; found byte 0x00, a control character: this is not a text file (is it the "
          "policy?)");
    // Columns count characters: the bad byte after two UTF-8 characters is at column 4.
    CHECK(onlyError("# \xc3\xa9\xc3\xa9\xff\n").column == 5);
    // Overlong forms and surrogates are not UTF-8 either.
    CHECK(onlyError("# \xc0\xaf\n").message == "expected UTF-8 text; found byte 0xC0, which is not UTF-8 (a Latin-1 or "
                                              "Windows-1252 '\xc3\x80'?): save the file as UTF-8");
    CHECK_THAT(onlyError("# \xed\xa0\x80\n").message, Catch::StartsWith("expected UTF-8 text; found byte 0xED"));
    // Tabs, carriage returns and a byte order mark are text.
    loadValid("\xef\xbb\xbf" + std::string(kMinimalPolicy) + "# a\tcomment\r\n");
}

TEST_CASE("YAML syntax errors say what was expected and what was found", "[policy]") {
    // A key indented one space too far under a list item.
    CHECK(onlyError("version: 1\nhosts:\n  - name: hv1\n     uri: x\n").message ==
          "YAML syntax error: expected a 'key: value' line indented like the keys beside it; found 'uri: x' (check this "
          "line's indentation)");
    // A service key indented one space less than its siblings.
    CHECK(onlyError(minimalWith("services:\n  - name: fax1\n    domain: fax1\n   priority: 3\n")).toString() ==
          "p.yaml:10:4: YAML syntax error: expected the next '- ' item of this list, indented like the items above "
          "it; found 'priority: 3' (check this line's indentation)");
    // A stray comma, as in JSON.
    CHECK(onlyError(minimalWith("services:\n  - name: fax1\n    domain: fax1,\n    , priority: 3\n")).message ==
          "YAML syntax error: expected the next 'key: value' of this mapping, indented like the keys above it; found ', "
          "priority: 3' (a wrong indentation, or a stray ','?)");
    // Deep nesting stops the parser with a reason, not "bad file".
    auto deep = onlyError("x: " + std::string(20000, '[') + std::string(20000, ']') + "\n");
    CHECK(deep.kind == PolicyErrorKind::YamlSyntax);
    CHECK_THAT(deep.message, Catch::StartsWith("YAML syntax error: expected nesting a few levels deep (a policy needs at "
                                               "most 6); found more than "));
}

TEST_CASE("a value too long to show gives its length", "[policy]") {
    auto error = onlyError(minimalWith("services:\n  - name: fax1\n    domain: " + std::string(1024 * 1024, 'a') + "\n"));
    CHECK_THAT(error.message, Catch::StartsWith("expected the libvirt domain's name (at most 255 characters"));
    CHECK_THAT(error.message, Catch::EndsWith("...' (1048576 characters)"));
}

TEST_CASE("anchors, aliases and merge keys", "[policy]") {
    // A shared fence block under an x- key, merged into each host; a key written beside the merge wins.
    auto loaded = loadValid(
        "version: 1\n"
        "x-ipmi: &ipmi\n"
        "  method: agent\n"
        "  command: /usr/sbin/fence_ipmilan\n"
        "  timeout: 20s\n"
        "hosts:\n"
        "  - name: hv1\n"
        "    uri: qemu+tcp://10.0.0.11/system\n"
        "    migration_address: 10.0.0.11\n"
        "    fence: {<<: *ipmi, parameters: {ip: 10.1.0.11}}\n"
        "  - name: hv2\n"
        "    uri: qemu+tcp://10.0.0.12/system\n"
        "    migration_address: 10.0.0.12\n"
        "    fence:\n"
        "      <<: *ipmi\n"
        "      timeout: 40s\n");
    REQUIRE(loaded.hosts.size() == 2);
    REQUIRE(loaded.hosts[0].fence.size() == 1);
    REQUIRE(loaded.hosts[1].fence.size() == 1);
    CHECK(loaded.hosts[0].fence[0].command == "/usr/sbin/fence_ipmilan");
    CHECK(loaded.hosts[0].fence[0].parameters.at("ip") == "10.1.0.11");
    CHECK(loaded.hosts[0].fence[0].timeout == std::chrono::seconds(20));
    CHECK(loaded.hosts[1].fence[0].timeout == std::chrono::seconds(40));
    // A type error through an alias is reported where the alias is used (line 6), not at the anchor.
    auto error = onlyError(minimalWith("x-defaults: &defaults\n  max_restart: many\nservices:\n  - name: fax1\n"
                                       "    domain: fax1\n    max_restart: *defaults\n"));
    CHECK(error.toString() == "p.yaml:12:5: services[0].max_restart: expected a whole number from 0 to 100; found a mapping");
    // x- keys are passed over only at the top level.
    CHECK_THAT(onlyError(minimalWith("services:\n  - {name: fax1, domain: fax1, x-note: hi}\n")).message,
               Catch::StartsWith("unknown key"));
    // A merge of something that is not a mapping.
    CHECK_THAT(onlyError(minimalWith("services:\n  - {name: fax1, domain: fax1, <<: 3}\n")).message,
               Catch::StartsWith("expected a mapping to merge (<<: *anchor) or a list of them; found '3'"));
}

TEST_CASE("a service that no host can take is a warning, not an error", "[policy]") {
    const auto loaded = load(minimalWith("services:\n  - name: fax1\n    domain: fax1\n    required_labels: {rack: b}\n"));
    REQUIRE(loaded.ok());
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings.front().toString() ==
          "p.yaml:10:22: services[0].required_labels: warning: no host has all of rack: b, so fax1 can run nowhere until "
          "one has (a host's site is not a label)");
    CHECK(load(kMinimalPolicy).warnings.empty());
}

TEST_CASE("a standby's licence has no effect, and the check says so", "[policy]") {
    const auto loaded = load(minimalWith("services:\n  - {name: fax1, domain: fax1, licence: l}\n"
                                         "  - {name: fax2, domain: fax2, role: standby, licence: l, stands_in_for: [fax1]}\n"
                                         "licences:\n  - {id: l, product: p, key_file: /k, seats: 1}\n"));
    REQUIRE(loaded.ok());
    REQUIRE(loaded.warnings.size() == 1);
    CHECK(loaded.warnings.front().key == "services[1].licence");
    CHECK_THAT(loaded.warnings.front().message, Catch::StartsWith("a standby holds no seat of its own"));
}
