#pragma once
// Aligned text tables for the CLI's human output.
#include <iosfwd>
#include <string>
#include <vector>

namespace faxover::orchestrator {

using TableRow = std::vector<std::string>;

// Rows under a header, each column as wide as its widest cell, two spaces between columns; the
// last column is not padded so lines carry no trailing blanks.
void printTable(const TableRow& header, const std::vector<TableRow>& rows, std::ostream& out);

// "-" for an empty cell, so columns never look shifted.
inline std::string orDash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace faxover::orchestrator
