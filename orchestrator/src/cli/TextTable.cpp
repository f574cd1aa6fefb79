#include "cli/TextTable.h"

#include <algorithm>
#include <ostream>

namespace faxover::orchestrator {

void printTable(const TableRow& header, const std::vector<TableRow>& rows, std::ostream& out) {
    std::vector<std::size_t> widths(header.size(), 0);
    auto widen = [&](const TableRow& row) {
        for (std::size_t column = 0; column < row.size(); ++column) widths[column] = std::max(widths[column], row[column].size());
    };
    widen(header);
    for (const auto& row : rows) widen(row);
    auto printRow = [&](const TableRow& row) {
        for (std::size_t column = 0; column < row.size(); ++column) {
            const bool last = column + 1 == row.size();
            out << (last ? row[column] : row[column] + std::string(widths[column] - row[column].size() + 2, ' '));
        }
        out << '\n';
    };
    printRow(header);
    for (const auto& row : rows) printRow(row);
}

}  // namespace faxover::orchestrator
