#pragma once
// Parsing libvirt XML (domain and node-device documents) into Poco's DOM, the same safe way for all.
#include "faxover/hypervisor/Result.h"

#include <Poco/DOM/AutoPtr.h>
#include <Poco/DOM/Document.h>

#include <string_view>

namespace faxover::hv {

// `what` names the document in errors: "domain XML line 3 column 7: mismatched tag".
Result<Poco::AutoPtr<Poco::XML::Document>> parseXmlDocument(std::string_view xml, std::string_view what);

}  // namespace faxover::hv
