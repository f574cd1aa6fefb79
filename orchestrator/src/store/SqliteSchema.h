#pragma once
// The SQLite file's schema and its migrations. Private to the store.
#include "faxover/orchestrator/ports/Store.h"

#include <string>

namespace Poco::Data { class Session; }

namespace faxover::orchestrator::store::sqlite {

// Brings the file at `path` (opened in `session`) to kSqliteSchemaVersion inside one transaction.
// Refuses a file written by a newer Faxover and a database that is not a Faxover store.
// Throws Poco::Exception for storage failures; the caller maps them to an Error.
Result<void> migrate(Poco::Data::Session& session, const std::string& path);

}  // namespace faxover::orchestrator::store::sqlite
