#pragma once
// A Hypervisor that passes every call to another one: a test derives from it and overrides only
// the calls it changes or counts.
#include "faxover/hypervisor/Hypervisor.h"

namespace faxover::test {

class ForwardingHypervisor : public hv::Hypervisor {
public:
    explicit ForwardingHypervisor(hv::Hypervisor& inner) : inner_(inner) {}

    hv::Result<void> addHost(const hv::HostConfig& host) override { return inner_.addHost(host); }
    hv::Result<void> removeHost(const std::string& host) override { return inner_.removeHost(host); }
    std::vector<std::string> hosts() const override { return inner_.hosts(); }
    hv::Result<hv::HostStatus> hostStatus(const std::string& host) const override { return inner_.hostStatus(host); }
    void setEventHandler(hv::EventHandler handler) override { inner_.setEventHandler(std::move(handler)); }
    hv::Result<hv::NodeInventory> nodeInventory(const std::string& host) override { return inner_.nodeInventory(host); }
    hv::Result<std::vector<hv::PciDevice>> pciDevices(const std::string& host) override { return inner_.pciDevices(host); }
    hv::Result<void> detachPciDevice(const std::string& host, const std::string& device) override {
        return inner_.detachPciDevice(host, device);
    }
    hv::Result<void> reattachPciDevice(const std::string& host, const std::string& device) override {
        return inner_.reattachPciDevice(host, device);
    }
    hv::Result<hv::DomainInfo> defineDomain(const std::string& host, const std::string& xml) override {
        return inner_.defineDomain(host, xml);
    }
    hv::Result<void> startDomain(const std::string& host, const std::string& domain) override {
        return inner_.startDomain(host, domain);
    }
    hv::Result<void> shutdownDomain(const std::string& host, const std::string& domain, hv::Duration timeout) override {
        return inner_.shutdownDomain(host, domain, timeout);
    }
    hv::Result<void> destroyDomain(const std::string& host, const std::string& domain) override {
        return inner_.destroyDomain(host, domain);
    }
    hv::Result<void> undefineDomain(const std::string& host, const std::string& domain) override {
        return inner_.undefineDomain(host, domain);
    }
    hv::Result<hv::DomainInfo> domainInfo(const std::string& host, const std::string& domain) override {
        return inner_.domainInfo(host, domain);
    }
    hv::Result<std::vector<hv::DomainInfo>> listDomains(const std::string& host) override {
        return inner_.listDomains(host);
    }
    hv::Result<std::string> domainXml(const std::string& host, const std::string& domain) override {
        return inner_.domainXml(host, domain);
    }
    hv::DomainCopies findDomainCopies(const std::string& uuid) override { return inner_.findDomainCopies(uuid); }
    hv::Result<hv::Migratability> checkMigratable(const std::string& host, const std::string& domain) override {
        return inner_.checkMigratable(host, domain);
    }
    hv::Result<hv::MigrationResult> migrateLive(const std::string& source, const std::string& destination,
                                                const std::string& domain, const hv::MigrationOptions& options,
                                                const hv::ProgressCallback& progress) override {
        return inner_.migrateLive(source, destination, domain, options, progress);
    }
    hv::Result<void> abortMigration(const std::string& source, const std::string& domain) override {
        return inner_.abortMigration(source, domain);
    }
    hv::Result<std::unique_ptr<hv::Channel>> openChannel(const std::string& host, const std::string& domain,
                                                         const std::string& name, hv::ChannelHandler handler) override {
        return inner_.openChannel(host, domain, name, std::move(handler));
    }

private:
    hv::Hypervisor& inner_;
};

}  // namespace faxover::test
