#pragma once

#include <string_view>
#include <vector>

#include "text_range.h"

namespace pledgebook::parser {

enum class BlockKind { kParagraph, kHeading, kListItem };

// A unit of the page body: a paragraph, a heading line, or a list item with
// its wrapped continuation lines.
struct Block {
  BlockKind kind = BlockKind::kParagraph;
  TextRange range;      // the text, without list marker or indentation
  int depth = 0;        // list nesting, 0 for top-level items
  int line = 0;         // 1-based line number of the first line (0 for markup)
  bool table_row = false;  // a row of a table (cells joined by " | ")
};

// A calendar date as written at the top of a page.
struct PageDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

// What the layout analysis found in a plain-text page.
struct PageLayout {
  TextRange title;              // empty when the page has no title line
  PageDate date;                // year 0 when there is no date line
  TextRange date_line;          // the date line in the text, when there is one
  std::vector<Block> blocks;    // the body, in order
  TextRange body;               // from the first to the last body block
  int dropped_lines = 0;        // chrome lines removed at the top and bottom
};

// Splits a normalized plain-text page into title, date and body blocks,
// dropping site chrome at the top (menu lines around the title) and bottom
// (end marker "###", footer).
PageLayout AnalyzePlainText(std::string_view text);

// Parses "March 24, 2023" (a whole line) into a date; false if it is not one.
bool ParseLongDate(std::string_view line, PageDate* date);

}  // namespace pledgebook::parser
