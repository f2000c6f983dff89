#include "ledger/open_ledger.h"

namespace barrage::ledger {

Result<std::unique_ptr<Ledger>> open_sqlite_ledger(const SqliteLedgerBackend::Options& storage, const Clock& clock,
                                                   const Ledger::Options& options) {
    auto writer_options = storage;
    writer_options.read_only = false;
    auto writer = SqliteLedgerBackend::open(writer_options);
    if (!writer) {
        return writer.error();
    }
    // The reader opens second: the writer has created and migrated the file by now.
    auto reader_options = storage;
    reader_options.read_only = true;
    auto reader = SqliteLedgerBackend::open(reader_options);
    if (!reader) {
        return reader.error();
    }
    return std::make_unique<Ledger>(std::move(*writer), std::move(*reader), clock, options);
}

}  // namespace barrage::ledger
