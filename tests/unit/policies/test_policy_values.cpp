// A policy using every key: each value arrives in the Policy, and survives formatPolicy and a reload.
#include "faxover/policies/PolicyWriter.h"
#include "policy_test_support.h"

using namespace faxover::policy;
using namespace faxover::policy::test;
using namespace std::chrono;

namespace {

constexpr std::string_view kEveryKey = R"(version: 1
monitoring:
  profile: ipfx-compatible
  interval: 1500ms
  timeout: 700ms
  warn_count: 3
  failover_count: 12
  failover_count_after_restart: 24
fencing:
  timeout: 90s
  attempts: 3
board_models:
  - name: trufax
    vendor_id: 0x12e4
    device_id: 0x4001
licences:
  - id: lic1
    product: "Fax Server \"Enterprise\""
    key_file: /etc/faxover/lic1.key
    seats: 2
hosts:
  - name: hv1
    uri: qemu+ssh://root@hv1.example/system
    migration_address: 10.0.0.11
    site: north
    capacity: {vcpus: 24, memory: 96GiB, services: 3}
    labels: {rack: r1, example.com/ups: ups-1}
    fence:
      - method: agent
        command: fence_ipmilan
        timeout: 15s
        parameters: {ip: 10.0.1.11, username: admin, password_file: /etc/faxover/hv1.pw, lanplus: 1}
      - method: libvirt-destroy
      - method: manual
        instructions: "Switch off hv1: PDU 2, outlet 7."
    monitoring: {profile: default, timeout: 300ms}
    boards:
      - {pci_address: "0000:03:00.0", model: trufax, trunk_group: pstn}
  - name: hv2
    uri: qemu:///system
    fence: {method: manual}
services:
  - name: fax1
    domain: 0B6C7E40-1F57-4C1B-9D4E-56F3A2C1D0E9
    domain_xml: /etc/faxover/domains/fax1.xml
    telephony: board
    priority: 100
    preferred_hosts: [hv1, hv2]
    preferred_sites: [north]
    anti_affinity: [fax2]
    required_labels: {tier: primary}
    recovery: restart-only
    max_restart: 0
    max_relocate: 5
    failback: yes
    licence: lic1
    role: active
    trunk_group: pstn
    board_models: [trufax]
    telco_hook: {command: /usr/local/sbin/pri-reroute, arguments: [--group, pstn], timeout: 90s}
    shutdown_timeout: 4m
  - name: fax2
    domain: fax2-vm
maintenance:
  - name: weekly
    hosts: [hv1, hv2]
    action: suspend-monitoring
    weekly: {days: [tue, thu], start: "01:30", end: "03:00", utc_offset: "+09:30"}
  - name: once
    hosts: all
    start: 2027-01-02T03:04:05-01:00
    end: 2027-01-02T05:00:00Z
)";

}  // namespace

TEST_CASE("every key's value reaches the Policy", "[policy]") {
    const Policy policy = loadValid(kEveryKey);
    CHECK(policy.version == 1);
    CHECK(policy.monitoring == MonitoringProfile{"ipfx-compatible", 1500ms, 700ms, 3, 12, 24});
    CHECK(policy.fencing.timeout == 90s);
    CHECK(policy.fencing.attempts == 3);
    CHECK(policy.boardModels == std::vector<BoardModel>{{"trufax", 0x12e4, 0x4001}});
    CHECK(policy.licences ==
          std::vector<Licence>{{"lic1", "Fax Server \"Enterprise\"", "/etc/faxover/lic1.key", 2}});

    REQUIRE(policy.hosts.size() == 2);
    const HostPolicy& hv1 = policy.hosts[0];
    CHECK(hv1.name == "hv1");
    CHECK(hv1.uri == "qemu+ssh://root@hv1.example/system");
    CHECK(hv1.migrationAddress == "10.0.0.11");
    CHECK(hv1.site == "north");
    CHECK(hv1.capacity == HostCapacity{24, 96 * 1024, 3});
    CHECK(hv1.labels == std::map<std::string, std::string>{{"rack", "r1"}, {"example.com/ups", "ups-1"}});
    REQUIRE(hv1.fence.size() == 3);
    CHECK(hv1.fence[0] == FenceLevel{FenceMethod::Agent,
                                     "fence_ipmilan",
                                     {{"ip", "10.0.1.11"}, {"username", "admin"}, {"lanplus", "1"}},
                                     "/etc/faxover/hv1.pw",
                                     15s,
                                     ""});
    CHECK(hv1.fence[1] == FenceLevel{FenceMethod::LibvirtDestroy, "", {}, "", 90s, ""});
    CHECK(hv1.fence[2].method == FenceMethod::Manual);
    CHECK(hv1.fence[2].instructions == "Switch off hv1: PDU 2, outlet 7.");
    CHECK(hv1.monitoring == MonitoringProfile{"default", 500ms, 300ms, 4, 7, 14});
    CHECK(hv1.boards == std::vector<HostBoard>{{"0000:03:00.0", "trufax", "pstn"}});

    const HostPolicy& hv2 = policy.hosts[1];
    CHECK(hv2.migrationAddress.empty());
    CHECK(hv2.site == "default");
    CHECK(hv2.capacity == HostCapacity{});
    CHECK(hv2.monitoring == policy.monitoring);

    REQUIRE(policy.services.size() == 2);
    const ServicePolicy& fax1 = policy.services[0];
    CHECK(fax1.domain == DomainRef{DomainRef::Kind::Uuid, "0b6c7e40-1f57-4c1b-9d4e-56f3a2c1d0e9"});
    CHECK(fax1.domainXml == DomainXmlSource{DomainXmlSource::Kind::File, "/etc/faxover/domains/fax1.xml"});
    CHECK(fax1.telephony == TelephonyMode::Board);
    CHECK(fax1.priority == 100);
    CHECK(fax1.preferredHosts == std::vector<std::string>{"hv1", "hv2"});
    CHECK(fax1.preferredSites == std::vector<std::string>{"north"});
    CHECK(fax1.antiAffinity == std::vector<std::string>{"fax2"});
    CHECK(fax1.requiredLabels == std::map<std::string, std::string>{{"tier", "primary"}});
    CHECK(fax1.recovery == RecoveryMode::RestartOnly);
    CHECK(fax1.maxRestart == 0);
    CHECK(fax1.maxRelocate == 5);
    CHECK(fax1.failback);
    CHECK(fax1.licence == "lic1");
    CHECK(fax1.role == ServiceRole::Active);
    CHECK(fax1.trunkGroup == "pstn");
    CHECK(fax1.boardModels == std::vector<std::string>{"trufax"});
    CHECK(fax1.telcoHook == CommandStep{"/usr/local/sbin/pri-reroute", {"--group", "pstn"}, 90s});
    CHECK(fax1.shutdownTimeout == 4min);

    // fax2 shows every service default.
    ServicePolicy defaults;
    defaults.name = "fax2";
    defaults.domain = DomainRef{DomainRef::Kind::Name, "fax2-vm"};
    CHECK(policy.services[1] == defaults);
    CHECK(defaults.telephony == TelephonyMode::Auto);
    CHECK(defaults.priority == 50);
    CHECK(defaults.recovery == RecoveryMode::LiveMigrateIfPossible);
    CHECK(defaults.maxRestart == 1);
    CHECK(defaults.maxRelocate == 1);
    CHECK_FALSE(defaults.failback);
    CHECK(defaults.shutdownTimeout == 120s);
    CHECK_FALSE(defaults.telcoHook.has_value());

    REQUIRE(policy.maintenance.size() == 2);
    CHECK(policy.maintenance[0].hosts == std::vector<std::string>{"hv1", "hv2"});
    CHECK(policy.maintenance[0].action == MaintenanceAction::SuspendMonitoring);
    CHECK(std::get<WeeklyWindow>(policy.maintenance[0].schedule) ==
          WeeklyWindow{{Weekday::Tuesday, Weekday::Thursday}, minutes(90), minutes(180), minutes(570)});
    CHECK(policy.maintenance[1].allHosts);
    CHECK(std::get<AbsoluteWindow>(policy.maintenance[1].schedule) ==
          AbsoluteWindow{sys_days(2027y / January / 2) + hours(4) + minutes(4) + seconds(5),
                         sys_days(2027y / January / 2) + hours(5)});
}

TEST_CASE("a full policy written out and read back is the same policy", "[policy]") {
    const Policy policy = loadValid(kEveryKey);
    const std::string written = formatPolicy(policy);
    INFO(written);
    const Policy reloaded = loadValid(written);
    CHECK(reloaded == policy);
    CHECK(formatPolicy(reloaded) == written);
}

TEST_CASE("the writer quotes what YAML would otherwise reinterpret", "[policy]") {
    Policy policy = loadValid(kMinimalPolicy);
    policy.hosts[0].labels = {{"note", "yes"}, {"zip", "0123"}, {"colon", "a: b"}, {"hash", "x # y"},
                              {"quote", "\"q\" \\ back"}, {"null", "~"}};
    policy.hosts[0].fence[0].instructions = "line one\nline two\ttabbed";
    const Policy reloaded = loadValid(formatPolicy(policy));
    CHECK(reloaded == policy);
}

TEST_CASE("services: required_labels are read, checked like host labels and written back", "[policy]") {
    const std::string yaml = "version: 1\n"
                             "hosts:\n"
                             "  - {name: a, uri: 'qemu:///system', fence: {method: manual}, labels: {tier: primary}}\n"
                             "services:\n"
                             "  - name: fax\n"
                             "    domain: fax-vm\n"
                             "    required_labels: {tier: primary, example.com/rack: r1}\n";
    const Policy policy = loadValid(yaml);
    CHECK(policy.services[0].requiredLabels ==
          std::map<std::string, std::string>{{"tier", "primary"}, {"example.com/rack", "r1"}});
    CHECK(onlyError(
              "version: 1\nhosts:\n  - {name: a, uri: 'qemu:///system', fence: {method: manual}}\n"
              "services:\n  - {name: fax, domain: fax-vm, required_labels: {'bad key!': x}}\n")
              .key == "services[0].required_labels.bad key!");
}
