#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "plain_text_layout.h"

namespace pledgebook::parser {

// A page rendered from markup: the normalized text it reads as (title,
// headings, paragraphs, one list item per line, table rows) and its blocks,
// whose ranges point into that text.
struct RenderedPage {
  std::string text;
  PageLayout layout;
  std::string front_matter_title;  // Markdown: the title from front matter (not in `text`)
};

// Renders an HTML page with a real HTML parser (gumbo): the article
// (<article>, else <main>, else <body>) without scripts, styles, navigation,
// forms, buttons, cookie banners, share and sign-up boxes; headings,
// paragraphs (a bold first line ended by <br> is a run-in heading), nested
// lists with their depth, table rows; "###" ends the body.
// `content` must be valid UTF-8. INVALID_ARGUMENT when nesting exceeds
// `max_depth` (a guard against pathological documents).
absl::StatusOr<RenderedPage> RenderHtml(std::string_view content, int max_depth = 512);

// Renders Markdown (CommonMark with raw HTML, via cmark) the same way. YAML
// front matter, if any, supplies the title and date and is not part of the
// text.
absl::StatusOr<RenderedPage> RenderMarkdown(std::string_view content, int max_depth = 512);

}  // namespace pledgebook::parser
