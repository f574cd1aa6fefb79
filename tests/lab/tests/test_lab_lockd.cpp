// libvirt's lock manager (virtlockd, `lock_manager = "lockd"`; docs/hook.md, "Lock manager") on real
// lab hosts: with the hook not enrolled, a second start of the same domain on another host is refused
// by libvirt itself. The lab's hosts share one lockspace ($FAXLAB_ROOT/lockspace, indirect leases
// named after the SHA-256 of the disk path).
#include "HookTestSupport.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace faxover::labtest {

using Catch::Matchers::Contains;

namespace {

// The diskless lab guest with one raw virtio disk at `imagePath` (added with the XML library).
std::string guestWithDisk(const std::string& name, const std::string& imagePath) {
    return guestWithDevice(name, [&](Poco::XML::Document& document) {
        Poco::AutoPtr<Poco::XML::Element> disk = document.createElement("disk");
        disk->setAttribute("type", "file");
        disk->setAttribute("device", "disk");
        Poco::AutoPtr<Poco::XML::Element> driver = document.createElement("driver");
        driver->setAttribute("name", "qemu");
        driver->setAttribute("type", "raw");
        Poco::AutoPtr<Poco::XML::Element> source = document.createElement("source");
        source->setAttribute("file", imagePath);
        Poco::AutoPtr<Poco::XML::Element> target = document.createElement("target");
        target->setAttribute("dev", "vda");
        target->setAttribute("bus", "virtio");
        disk->appendChild(driver);
        disk->appendChild(source);
        disk->appendChild(target);
        return disk;
    });
}

void createImage(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    { std::ofstream create(path, std::ios::trunc); }
    std::filesystem::resize_file(path, 16 << 20);  // sparse, raw: the guest never reads it
}

// The name of virtlockd's indirect lease for a disk: the SHA-256 of its path, in hex.
std::string leaseName(const std::string& diskPath) {
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(diskPath);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

void requireLockd(const lab::Lab& lab, const std::string& host) {
    const std::string conf = readText(lab.hostPath(host, "/etc/libvirt/qemu.conf"));
    INFO(host << "'s qemu.conf has no lock_manager = \"lockd\" (the lab was started with FAXLAB_LOCKD=0?)");
    REQUIRE_THAT(conf, Contains("lock_manager = \"lockd\""));
}

}  // namespace

TEST_CASE("lockd: a second start of a domain on another host is refused by the lock manager", "[lab][lockd]") {
    LabSession session;
    const std::string first = session.hostName(0);
    const std::string second = session.hostName(1);
    requireLockd(session.lab, first);
    requireLockd(session.lab, second);
    const std::string name = "labtest-lockd";
    // The same disk path on both hosts, as a SAN LUN or an NFS export is seen by each host. Here it
    // is a separate file per host (the hosts' own /var/lib/libvirt), so QEMU's image locking, which
    // works on the file, cannot see the other copy: only the shared lockspace can refuse.
    const std::string disk = "/var/lib/libvirt/images/" + name + ".img";
    for (const auto& host : {first, second}) createImage(session.lab.hostPath(host, disk));
    OnExit images([&] {
        std::error_code ignored;
        for (const auto& host : {first, second}) std::filesystem::remove(session.lab.hostPath(host, disk), ignored);
    });
    auto guest = defineGuest(session, first, guestWithDisk(name, disk), name);
    copyDefinition(session, first, second, name);

    REQUIRE(startError(session, first, name).empty());
    const std::string refusal = startError(session, second, name);
    CHECK_THAT(refusal, Contains("resource busy: Lockspace resource '" + leaseName(disk) + "' is locked"));
    CHECK_THAT(refusal, !Contains("Failed to get"));  // not QEMU's own image locking
    CHECK_FALSE(isRunning(session, second, name));
    CHECK(session.lab.qemuPids(second).empty());

    // Once the first host stopped it, the lease is free and the second host may start it.
    REQUIRE(session.hypervisor->destroyDomain(first, name));
    CHECK(startError(session, second, name).empty());
    CHECK(isRunning(session, second, name));
}

TEST_CASE("lockd: on one shared image file QEMU's own image locking refuses first", "[lab][lockd]") {
    LabSession session;
    const std::string first = session.hostName(0);
    const std::string second = session.hostName(1);
    requireLockd(session.lab, first);
    const std::string name = "labtest-lockd-file";
    // One file both hosts open (outside their per-host folders). libvirt starts QEMU paused and
    // takes its leases only when it resumes the CPUs, after QEMU opened the image: on a file both
    // QEMUs reach through one kernel, QEMU's lock on the file speaks first.
    const std::string disk = (std::filesystem::temp_directory_path() / (name + ".img")).string();
    createImage(disk);
    OnExit image([&] {
        std::error_code ignored;
        std::filesystem::remove(disk, ignored);
    });
    auto guest = defineGuest(session, first, guestWithDisk(name, disk), name);
    copyDefinition(session, first, second, name);

    REQUIRE(startError(session, first, name).empty());
    const std::string refusal = startError(session, second, name);
    CHECK_THAT(refusal, Contains("Failed to get \"write\" lock"));
    CHECK_FALSE(isRunning(session, second, name));
}

}  // namespace faxover::labtest
