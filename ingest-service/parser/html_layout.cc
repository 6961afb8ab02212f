#include "html_layout.h"

#include <cmark.h>
#include <gumbo.h>

#include <cstdlib>
#include <memory>

#include "absl/strings/str_cat.h"
#include "boilerplate.h"
#include "normalize_text.h"
#include "re2/re2.h"
#include "text_util.h"

namespace pledgebook::parser {
namespace {

// Elements that never carry article text.
bool IsSkippedTag(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_INPUT: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_SVG: case GUMBO_TAG_CANVAS: case GUMBO_TAG_HEAD: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_LABEL: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_AUDIO: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_MENU:
      return true;
    default:
      return false;
  }
}

// Site chrome named by its id or class: cookie banners, share bars,
// newsletter boxes, breadcrumbs, menus.
bool IsChromeElement(const GumboElement& el) {
  static const RE2 re(
      R"((?i)(cookie|consent|gdpr|banner|breadcrumb|share|social|newsletter|subscribe|sign-?up|)"
      R"(menu|skip-link|site-header|site-footer|masthead|promo|related|comments?|sidebar|toolbar|modal|popup))");
  for (const char* name : {"class", "id", "role"}) {
    const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
    if (a != nullptr && RE2::PartialMatch(a->value, re)) return true;
  }
  const GumboAttribute* role = gumbo_get_attribute(&el.attributes, "role");
  return role != nullptr && (std::string_view(role->value) == "navigation" ||
                             std::string_view(role->value) == "banner" ||
                             std::string_view(role->value) == "contentinfo");
}

bool IsHeadingTag(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

bool IsBlockTag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_LI:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_HEADER: case GUMBO_TAG_MAIN: case GUMBO_TAG_PRE:
    case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_HR: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_CAPTION:
      return true;
    default:
      return IsHeadingTag(t);
  }
}

bool IsBold(GumboTag t) { return t == GUMBO_TAG_STRONG || t == GUMBO_TAG_B; }

const GumboNode* FindFirst(const GumboNode* node, GumboTag tag, int depth = 0) {
  if (node->type != GUMBO_NODE_ELEMENT || depth > 64) return nullptr;
  if (node->v.element.tag == tag) return node;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    if (const GumboNode* found = FindFirst(static_cast<const GumboNode*>(children.data[i]), tag, depth + 1)) {
      return found;
    }
  }
  return nullptr;
}

// Inline text collected for one block, with the part that was bold.
struct InlineText {
  std::string text;
  std::string bold_prefix;   // bold text from the start of the first line
  bool bold_open = true;     // still inside the leading bold run
  std::vector<std::string> lines;  // split at <br>
};

class Renderer {
 public:
  explicit Renderer(RenderedPage* page) : page_(page) {}

  void Render(const GumboNode* root, const GumboNode* skip) {
    skip_ = skip;
    Walk(root, 0, 0);
    Flush();
  }

  void SetTitle(std::string title) {
    title = Clean(title);
    if (title.empty()) return;
    page_->layout.title = Append(title);
    page_->text += "\n\n";
  }

  void SetDate(std::string_view iso) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(std::string(iso).c_str(), "%d-%d-%d", &y, &m, &d) == 3 && y > 1000) {
      page_->layout.date = {y, m, d};
    }
  }

  bool ended() const { return ended_; }

 private:
  // Collapses white space the way a browser shows it, and normalizes.
  static std::string Clean(std::string_view raw) {
    auto blank = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; };
    std::string collapsed;
    collapsed.reserve(raw.size());
    // A word at a time: one space between words, none before the first.
    for (size_t i = 0; i < raw.size();) {
      if (blank(raw[i])) {
        ++i;
        continue;
      }
      size_t end = i + 1;
      while (end < raw.size() && !blank(raw[end])) ++end;
      if (!collapsed.empty()) collapsed.push_back(' ');
      collapsed.append(raw.data() + i, end - i);
      i = end;
    }
    if (collapsed.empty()) return collapsed;
    absl::StatusOr<std::string> normalized = NormalizeText(collapsed);
    if (!normalized.ok()) return "";
    std::string out(StripWhitespace(*normalized));
    // Normalization can turn a no-break space into a space: collapse again.
    std::string result;
    for (char c : out) {
      if (c == ' ' && !result.empty() && result.back() == ' ') continue;
      result.push_back(c == '\n' ? ' ' : c);
    }
    return result;
  }

  TextRange Append(std::string_view s) {
    TextRange r{page_->text.size(), page_->text.size() + s.size()};
    page_->text += s;
    return r;
  }

  void Emit(BlockKind kind, const std::string& raw, int depth, bool table_row = false) {
    std::string text = Clean(raw);
    if (text.empty()) return;
    if (text == "###") {  // the end-of-release marker
      ended_ = true;
      return;
    }
    if (!page_->text.empty() && page_->text.back() != '\n') page_->text += "\n";
    if (kind == BlockKind::kListItem) {
      page_->text += std::string(static_cast<size_t>(2 * depth), ' ') + "• ";
    } else if (!page_->text.empty()) {
      page_->text += "\n";
    }
    Block block;
    block.kind = kind;
    block.depth = depth;
    block.range = Append(text);
    block.table_row = table_row;
    page_->layout.blocks.push_back(block);
  }

  // Emits the inline text gathered so far as a paragraph (or heading).
  void Flush() {
    if (pending_.text.empty() && pending_.lines.empty()) return;
    pending_.lines.push_back(pending_.text);
    InlineText done = std::move(pending_);
    pending_ = InlineText();
    // "<strong>Heading</strong><br/>Paragraph…": a run-in heading.
    size_t first = 0;
    std::string line;
    while (first < done.lines.size() && (line = Clean(done.lines[first])).empty()) ++first;
    if (first < done.lines.size()) {
      const std::string bold = Clean(done.bold_prefix);
      const bool whole_bold = !bold.empty() && bold == line;
      if (whole_bold && CountWords(line) <= 30) {
        Emit(BlockKind::kHeading, line, 0);
        ++first;
      }
    }
    std::string rest;
    for (size_t i = first; i < done.lines.size(); ++i) {
      if (!rest.empty()) rest += ' ';
      rest += done.lines[i];
    }
    Emit(BlockKind::kParagraph, rest, 0);
  }

  void AddText(std::string_view s, bool in_bold) {
    if (pending_.bold_open) {
      if (in_bold) {
        pending_.bold_prefix += s;
      } else if (!StripWhitespace(s).empty()) {
        pending_.bold_open = false;
      }
    }
    pending_.text += s;
  }

  // Collects the text of a list item or table cell, without nested lists.
  void CollectInline(const GumboNode* node, std::string* out, int depth) {
    if (depth > kMaxDepth) return;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      *out += node->v.text.text;
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT) return;
    const GumboElement& el = node->v.element;
    if (IsSkippedTag(el.tag) || el.tag == GUMBO_TAG_UL || el.tag == GUMBO_TAG_OL) return;
    if (el.tag == GUMBO_TAG_BR || (IsBlockTag(el.tag) && !out->empty())) *out += ' ';
    for (unsigned i = 0; i < el.children.length; ++i) {
      CollectInline(static_cast<const GumboNode*>(el.children.data[i]), out, depth + 1);
    }
    if (IsBlockTag(el.tag)) *out += ' ';
  }

  void Walk(const GumboNode* node, int list_depth, int depth) {
    if (ended_ || depth > kMaxDepth || node == skip_) return;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE || node->type == GUMBO_NODE_CDATA) {
      AddText(node->v.text.text, bold_depth_ > 0);
      return;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) return;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      for (unsigned i = 0; i < node->v.document.children.length; ++i) {
        Walk(static_cast<const GumboNode*>(node->v.document.children.data[i]), list_depth, depth + 1);
      }
      return;
    }
    const GumboElement& el = node->v.element;
    if (IsSkippedTag(el.tag) || IsChromeElement(el)) return;
    if (el.tag == GUMBO_TAG_BR) {
      pending_.lines.push_back(pending_.text);
      pending_.text.clear();
      pending_.bold_open = false;
      return;
    }
    if (IsHeadingTag(el.tag)) {
      Flush();
      std::string text;
      CollectInline(node, &text, depth);
      Emit(BlockKind::kHeading, text, 0);
      return;
    }
    if (el.tag == GUMBO_TAG_LI) {
      Flush();
      std::string text;
      CollectInline(node, &text, depth);
      Emit(BlockKind::kListItem, text, std::max(0, list_depth - 1));
      // Nested lists become their own items, one level deeper.
      for (unsigned i = 0; i < el.children.length; ++i) {
        const GumboNode* child = static_cast<const GumboNode*>(el.children.data[i]);
        if (child->type == GUMBO_NODE_ELEMENT &&
            (child->v.element.tag == GUMBO_TAG_UL || child->v.element.tag == GUMBO_TAG_OL)) {
          Walk(child, list_depth, depth + 1);
        }
      }
      return;
    }
    if (el.tag == GUMBO_TAG_TR) {
      Flush();
      std::string row;
      for (unsigned i = 0; i < el.children.length; ++i) {
        const GumboNode* cell = static_cast<const GumboNode*>(el.children.data[i]);
        if (cell->type != GUMBO_NODE_ELEMENT) continue;
        std::string text;
        CollectInline(cell, &text, depth + 1);
        if (!row.empty()) row += " | ";
        row += text;
      }
      Emit(BlockKind::kParagraph, row, 0, /*table_row=*/true);
      return;
    }
    const bool block = IsBlockTag(el.tag);
    if (block) Flush();
    const int child_list_depth = (el.tag == GUMBO_TAG_UL || el.tag == GUMBO_TAG_OL) ? list_depth + 1 : list_depth;
    if (IsBold(el.tag)) ++bold_depth_;
    for (unsigned i = 0; i < el.children.length; ++i) {
      Walk(static_cast<const GumboNode*>(el.children.data[i]), child_list_depth, depth + 1);
    }
    if (IsBold(el.tag)) --bold_depth_;
    if (block) Flush();
  }

  static constexpr int kMaxDepth = 1024;
  RenderedPage* page_;
  const GumboNode* skip_ = nullptr;  // the title <h1>, rendered apart
  InlineText pending_;
  int bold_depth_ = 0;
  bool ended_ = false;
};

// Rough upper bound of the element nesting, computed before parsing so that
// pathological input is refused before any recursion.
int EstimateNesting(std::string_view html) {
  int depth = 0, max_depth = 0;
  for (size_t i = 0; i + 1 < html.size(); ++i) {
    if (html[i] != '<') continue;
    char next = html[i + 1];
    if (next == '/') {
      depth = std::max(0, depth - 1);
    } else if (IsAsciiAlpha(static_cast<unsigned char>(next))) {
      size_t close = html.find('>', i);
      if (close == std::string_view::npos) break;
      std::string tag;
      for (size_t j = i + 1; j < close && IsAsciiAlnum(static_cast<unsigned char>(html[j])); ++j) {
        tag.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(html[j]))));
      }
      static const char* kVoid[] = {"br", "img", "hr", "meta", "link", "input", "area", "base",
                                    "col", "embed", "source", "track", "wbr", "p", "li"};
      bool is_void = html[close - 1] == '/';
      for (const char* v : kVoid) is_void = is_void || tag == v;
      if (!is_void) max_depth = std::max(max_depth, ++depth);
      i = close;
    }
  }
  return max_depth;
}

absl::StatusOr<RenderedPage> RenderParsed(std::string_view html, int max_depth, const std::string& title,
                                          const std::string& date) {
  if (EstimateNesting(html) > max_depth) {
    return absl::InvalidArgumentError(
        absl::StrCat("source.content: HTML nested deeper than ", max_depth, " elements (max_html_depth)"));
  }
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  RenderedPage page;
  Renderer renderer(&page);
  const GumboNode* root = output->root;
  const GumboNode* article = FindFirst(root, GUMBO_TAG_ARTICLE);
  if (article == nullptr) article = FindFirst(root, GUMBO_TAG_MAIN);
  if (article == nullptr) article = FindFirst(root, GUMBO_TAG_BODY);
  if (article == nullptr) article = root;

  // The title: the caller's (front matter), else the article's first <h1>,
  // else <title>.
  std::string page_title = title;
  const GumboNode* h1 = FindFirst(article, GUMBO_TAG_H1);
  if (page_title.empty() && h1 != nullptr) {
    for (unsigned i = 0; i < h1->v.element.children.length; ++i) {
      const GumboNode* c = static_cast<const GumboNode*>(h1->v.element.children.data[i]);
      if (c->type == GUMBO_NODE_TEXT) page_title += c->v.text.text;
    }
  }
  if (page_title.empty()) {
    if (const GumboNode* t = FindFirst(root, GUMBO_TAG_TITLE); t && t->v.element.children.length > 0) {
      const GumboNode* c = static_cast<const GumboNode*>(t->v.element.children.data[0]);
      if (c->type == GUMBO_NODE_TEXT) page_title = c->v.text.text;
    }
  }
  // Front-matter titles are metadata, not text; an <h1> title is text.
  if (title.empty() && h1 != nullptr) renderer.SetTitle(page_title);
  renderer.SetDate(date);
  if (date.empty()) {
    // <meta name="dcterms.date" content="2021-03-12"> or a <time datetime>.
    if (const GumboNode* head = FindFirst(root, GUMBO_TAG_HEAD)) {
      for (unsigned i = 0; i < head->v.element.children.length; ++i) {
        const GumboNode* c = static_cast<const GumboNode*>(head->v.element.children.data[i]);
        if (c->type != GUMBO_NODE_ELEMENT || c->v.element.tag != GUMBO_TAG_META) continue;
        const GumboAttribute* name = gumbo_get_attribute(&c->v.element.attributes, "name");
        const GumboAttribute* content = gumbo_get_attribute(&c->v.element.attributes, "content");
        if (name && content && std::string_view(name->value).find("date") != std::string_view::npos) {
          renderer.SetDate(content->value);
        }
      }
    }
  }
  // The article without its title heading, which was placed above.
  renderer.Render(article, title.empty() ? h1 : nullptr);
  // No date in metadata: a date line near the top ("February 24, 2023" or
  // "2021-03-12" under the title) is the publication date.
  if (page.layout.date.year == 0) {
    for (size_t k = 0; k < page.layout.blocks.size() && k < 3; ++k) {
      std::string_view line = page.layout.blocks[k].range.In(page.text);
      PageDate d;
      int y = 0, m = 0, dd = 0;
      if (ParseLongDate(line, &d)) {
        page.layout.date = d;
      } else if (line.size() == 10 && std::sscanf(std::string(line).c_str(), "%4d-%2d-%2d", &y, &m, &dd) == 3) {
        page.layout.date = {y, m, dd};
      }
      if (page.layout.date.year > 0) break;
    }
  }
  if (!page.layout.blocks.empty()) {
    page.layout.body = {page.layout.blocks.front().range.begin, page.layout.blocks.back().range.end};
  }
  if (h1 == nullptr) page.front_matter_title = page_title;  // from <title>: metadata only
  return page;
}

// Reads "title:" and "date:" from YAML front matter (the subset pandoc and
// static-site generators write: plain, single- or double-quoted scalars,
// double-quoted ones folded over lines).
void ReadFrontMatter(std::string_view yaml, std::string* title, std::string* date) {
  auto scalar = [&](std::string_view key) -> std::string {
    size_t at = yaml.find(std::string(key) + ":");
    while (at != std::string_view::npos && at != 0 && yaml[at - 1] != '\n') {
      at = yaml.find(std::string(key) + ":", at + 1);
    }
    if (at == std::string_view::npos) return "";
    size_t i = at + key.size() + 1;
    while (i < yaml.size() && yaml[i] == ' ') ++i;
    if (i >= yaml.size()) return "";
    std::string out;
    char quote = yaml[i];
    if (quote == '"' || quote == '\'') {
      ++i;
      while (i < yaml.size() && yaml[i] != quote) {
        char c = yaml[i];
        if (quote == '"' && c == '\\' && i + 1 < yaml.size()) {
          char n = yaml[i + 1];
          if (n == '\n') {  // escaped line break: join, dropping indentation
            i += 2;
            while (i < yaml.size() && yaml[i] == ' ') ++i;
            continue;
          }
          if (n == '_') out += "\xC2\xA0";
          else if (n == 'n') out += '\n';
          else out += n;
          i += 2;
          continue;
        }
        if (c == '\n') {  // folded line
          out += ' ';
          ++i;
          while (i < yaml.size() && yaml[i] == ' ') ++i;
          continue;
        }
        out += c;
        ++i;
      }
      if (quote == '\'' && out.find("''") != std::string::npos) {
        std::string fixed;
        for (size_t k = 0; k < out.size(); ++k) {
          fixed += out[k];
          if (out[k] == '\'' && k + 1 < out.size() && out[k + 1] == '\'') ++k;
        }
        out = fixed;
      }
      return out;
    }
    size_t end = yaml.find('\n', i);
    return std::string(StripWhitespace(yaml.substr(i, end == std::string_view::npos ? end : end - i)));
  };
  *title = scalar("title");
  *date = scalar("date").substr(0, 10);
}

}  // namespace

absl::StatusOr<RenderedPage> RenderHtml(std::string_view content, int max_depth) {
  return RenderParsed(content, max_depth, "", "");
}

absl::StatusOr<RenderedPage> RenderMarkdown(std::string_view content, int max_depth) {
  std::string title, date;
  std::string_view body = content;
  if (StartsWith(body, "---\n")) {
    size_t end = body.find("\n---", 4);
    if (end != std::string_view::npos) {
      ReadFrontMatter(body.substr(4, end - 3), &title, &date);
      size_t after = body.find('\n', end + 4);
      body = after == std::string_view::npos ? std::string_view() : body.substr(after + 1);
    }
  }
  std::unique_ptr<char, void (*)(void*)> html(
      cmark_markdown_to_html(body.data(), body.size(), CMARK_OPT_UNSAFE), std::free);
  if (!html) return absl::InternalError("markdown renderer failed");
  absl::StatusOr<RenderedPage> page = RenderParsed(html.get(), max_depth, title, date);
  if (page.ok() && !title.empty()) {
    // The front-matter title is metadata, not part of the text.
    page->layout.title = {};
    page->front_matter_title = NormalizeText(title).value_or(title);
  }
  return page;
}

}  // namespace pledgebook::parser
