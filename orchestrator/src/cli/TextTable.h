#pragma once
// Aligned text tables for the CLI's human output.
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace faxover::orchestrator {

using TableRow = std::vector<std::string>;

// Rows under a header, each column as wide as its widest cell, two spaces between columns; the
// last column is not padded so lines carry no trailing blanks.
void printTable(const TableRow& header, const std::vector<TableRow>& rows, std::ostream& out);

// A column of a table with one row per view: its header and how a view's cell reads, side by side
// so that a column is one declaration.
template <class View>
struct Column {
    const char* header;
    std::function<std::string(const View&)> cell;
};

template <class View>
void printColumns(const std::vector<Column<View>>& columns, const std::vector<View>& views, std::ostream& out) {
    TableRow header;
    for (const auto& column : columns) header.push_back(column.header);
    std::vector<TableRow> rows;
    for (const auto& view : views) {
        TableRow& row = rows.emplace_back();
        for (const auto& column : columns) row.push_back(column.cell(view));
    }
    printTable(header, rows, out);
}

// "-" for an empty cell, so columns never look shifted.
inline std::string orDash(const std::string& text) { return text.empty() ? "-" : text; }

}  // namespace faxover::orchestrator
