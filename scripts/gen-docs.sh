#!/usr/bin/env bash
# Regenerates the API reference in docs/api/ from the protos' comments.
#   scripts/gen-docs.sh            → rewrites docs/api/
#   scripts/gen-docs.sh OUT_DIR    → writes the reference into OUT_DIR instead
#                                    (the "docs up to date" test diffs that
#                                    against the committed docs/api/)
# protoc compiles proto/pledgebook/v1/*.proto into a descriptor set with
# source info (the comments); the Python below, run with Debian's python3 and
# python3-protobuf, turns it into Markdown: one page per proto file (services,
# RPCs, messages, fields, enums and values, with their comments) and an index.
# The googleapis types the API uses get a page too. Never edit docs/api/ by
# hand: change the comments in the .proto files and run this.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/docs/api}
PY=/usr/bin/python3

if ! command -v protoc >/dev/null || ! $PY -c 'import google.protobuf' 2>/dev/null; then
  "$root/scripts/install-deps.sh"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root/proto" && protoc -I . -I ../third_party/googleapis --include_imports --include_source_info \
  --descriptor_set_out="$tmp/api.binpb" pledgebook/v1/*.proto google/rpc/error_details.proto)
mkdir -p "$out"
rm -f "$out"/*.md
$PY - "$tmp/api.binpb" "$out" <<'PY'
"""Markdown reference for a protobuf API, from a FileDescriptorSet with source info."""
import os
import sys

from google.protobuf import descriptor_pb2 as d

FD = d.FieldDescriptorProto
SCALARS = {
    FD.TYPE_DOUBLE: "double", FD.TYPE_FLOAT: "float", FD.TYPE_INT64: "int64",
    FD.TYPE_UINT64: "uint64", FD.TYPE_INT32: "int32", FD.TYPE_FIXED64: "fixed64",
    FD.TYPE_FIXED32: "fixed32", FD.TYPE_BOOL: "bool", FD.TYPE_STRING: "string",
    FD.TYPE_BYTES: "bytes", FD.TYPE_UINT32: "uint32", FD.TYPE_SFIXED32: "sfixed32",
    FD.TYPE_SFIXED64: "sfixed64", FD.TYPE_SINT32: "sint32", FD.TYPE_SINT64: "sint64",
}
# Source-info path components (descriptor.proto field numbers).
F_MESSAGE, F_ENUM, F_SERVICE = 4, 5, 6
M_FIELD, M_NESTED, M_ENUM = 2, 3, 4
E_VALUE, S_METHOD = 2, 2
WELL_KNOWN_URL = "https://protobuf.dev/reference/protobuf/google.protobuf/#"

descriptor_set = d.FileDescriptorSet()
with open(sys.argv[1], "rb") as f:
    descriptor_set.ParseFromString(f.read())
out_dir = sys.argv[2]

documented = [f for f in descriptor_set.file if not f.name.startswith("google/protobuf/")]
api_files = [f for f in documented if not f.name.startswith("google/")]
google_files = [f for f in documented if f.name.startswith("google/")]


def page_of(file):
    """The Markdown page a proto file is documented on."""
    if file.name.startswith("google/"):
        return "googleapis.md"
    return os.path.splitext(os.path.basename(file.name))[0] + ".md"


def anchor(full_name):
    return full_name.replace(".", "-").lower()


# Where every documented type lives: full name → (page, anchor).
where = {}


def index_types(file, prefix, messages, enums):
    for m in messages:
        name = prefix + "." + m.name
        where[name] = (page_of(file), anchor(name))
        index_types(file, name, m.nested_type, m.enum_type)
    for e in enums:
        name = prefix + "." + e.name
        where[name] = (page_of(file), anchor(name))


for f in documented:
    index_types(f, f.package, f.message_type, f.enum_type)


class Comments:
    """Looks up the comments of a file's elements by source path."""

    def __init__(self, file):
        self.by_path = {tuple(loc.path): loc for loc in file.source_code_info.location}

    def leading(self, path):
        loc = self.by_path.get(tuple(path))
        if loc is None:
            return ""
        text = loc.leading_comments or loc.trailing_comments
        return clean(text)

    def detached(self, path):
        loc = self.by_path.get(tuple(path))
        return [clean(c) for c in loc.leading_detached_comments] if loc else []

    def line(self, path):
        loc = self.by_path.get(tuple(path))
        return loc.span[0] if loc else 0


def clean(text):
    """A comment as Markdown paragraphs: one leading space off each line."""
    lines = [l[1:] if l.startswith(" ") else l for l in text.strip("\n").split("\n")]
    return "\n".join(lines).strip()


def cell(text):
    """A comment inside a table cell: one line, paragraphs kept apart, pipes escaped."""
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return "<br><br>".join(p for p in paragraphs if p).replace("|", "\\|") or " "


def type_link(type_name, current_page):
    name = type_name.lstrip(".")
    if name in where:
        page, a = where[name]
        target = ("" if page == current_page else page) + "#" + a
        return "[`%s`](%s)" % (name, target)
    if name.startswith("google.protobuf."):
        return "[`%s`](%s%s)" % (name, WELL_KNOWN_URL, name.split(".")[-1].lower())
    return "`%s`" % name


def map_entry(field, messages_by_name):
    if field.type != FD.TYPE_MESSAGE:
        return None
    entry = messages_by_name.get(field.type_name.lstrip("."))
    if entry is not None and entry.options.map_entry:
        return entry
    return None


messages_by_name = {}


def collect(prefix, messages):
    for m in messages:
        messages_by_name[prefix + "." + m.name] = m
        collect(prefix + "." + m.name, m.nested_type)


for f in descriptor_set.file:
    collect(f.package, f.message_type)


def field_type(field, page):
    entry = map_entry(field, messages_by_name)
    if entry is not None:
        key, value = entry.field[0], entry.field[1]
        return "map<%s, %s>" % (field_type(key, page), field_type(value, page))
    if field.type in (FD.TYPE_MESSAGE, FD.TYPE_ENUM):
        return type_link(field.type_name, page)
    return "`%s`" % SCALARS[field.type]


def label(field, message):
    if map_entry(field, messages_by_name) is not None:
        return "map"
    if field.label == FD.LABEL_REPEATED:
        return "repeated"
    if field.proto3_optional:
        return "optional"
    if field.HasField("oneof_index"):
        return "oneof `%s`" % message.oneof_decl[field.oneof_index].name
    return ""


def heading(out, level, full_name, kind):
    out.append('<a id="%s"></a>' % anchor(full_name))
    out.append("")
    out.append("%s %s `%s`" % ("#" * level, kind, full_name))
    out.append("")


def paragraph(out, text):
    if text:
        out.append(text)
        out.append("")


def render_enum(out, enum, full_name, path, comments, level):
    heading(out, level, full_name, "Enum")
    paragraph(out, comments.leading(path))
    out.append("| Value | Number | Description |")
    out.append("| --- | --- | --- |")
    for j, v in enumerate(enum.value):
        out.append("| `%s` | %d | %s |" % (v.name, v.number, cell(comments.leading(path + [E_VALUE, j]))))
    out.append("")


def render_message(out, message, full_name, path, comments, level, page):
    heading(out, level, full_name, "Message")
    paragraph(out, comments.leading(path))
    if message.field:
        out.append("| Field | Number | Type | Label | Description |")
        out.append("| --- | --- | --- | --- | --- |")
        for j, field in enumerate(message.field):
            out.append("| `%s` | %d | %s | %s | %s |" % (
                field.name, field.number, field_type(field, page), label(field, message),
                cell(comments.leading(path + [M_FIELD, j]))))
        out.append("")
    else:
        paragraph(out, "_No fields._")
    for k, nested in enumerate(message.nested_type):
        if not nested.options.map_entry:
            render_message(out, nested, full_name + "." + nested.name, path + [M_NESTED, k],
                           comments, min(level + 1, 6), page)
    for k, nested in enumerate(message.enum_type):
        render_enum(out, nested, full_name + "." + nested.name, path + [M_ENUM, k], comments,
                    min(level + 1, 6))


def render_service(out, service, full_name, path, comments, page, level):
    heading(out, level, full_name, "Service")
    paragraph(out, comments.leading(path))
    out.append("| RPC | Request | Response |")
    out.append("| --- | --- | --- |")
    for j, m in enumerate(service.method):
        out.append("| [`%s`](#%s) | %s%s | %s%s |" % (
            m.name, anchor(full_name + "." + m.name),
            "stream " if m.client_streaming else "", type_link(m.input_type, page),
            "stream " if m.server_streaming else "", type_link(m.output_type, page)))
    out.append("")
    for j, m in enumerate(service.method):
        out.append('<a id="%s"></a>' % anchor(full_name + "." + m.name))
        out.append("")
        out.append("%s RPC `%s.%s`" % ("#" * (level + 1), service.name, m.name))
        out.append("")
        kind = {(False, False): "unary", (True, False): "client streaming",
                (False, True): "server streaming", (True, True): "bidirectional streaming"}
        out.append("`rpc %s(%s%s) returns (%s%s)` — %s" % (
            m.name, "stream " if m.client_streaming else "", m.input_type.lstrip("."),
            "stream " if m.server_streaming else "", m.output_type.lstrip("."),
            kind[(m.client_streaming, m.server_streaming)]))
        out.append("")
        paragraph(out, comments.leading(path + [S_METHOD, j]))


def render_file(out, file, page, level=2):
    comments = Comments(file)
    # Services first, then messages and enums in the order the file declares them.
    for i, s in enumerate(file.service):
        for text in comments.detached([F_SERVICE, i]):
            paragraph(out, text)
        render_service(out, s, file.package + "." + s.name, [F_SERVICE, i], comments, page, level)
    types = [(comments.line([F_MESSAGE, i]), "m", i, m) for i, m in enumerate(file.message_type)]
    types += [(comments.line([F_ENUM, i]), "e", i, e) for i, e in enumerate(file.enum_type)]
    for _, kind, i, t in sorted(types, key=lambda x: (x[0], x[1], x[2])):
        path = [F_MESSAGE if kind == "m" else F_ENUM, i]
        for text in comments.detached(path):
            paragraph(out, text)
        if kind == "m":
            render_message(out, t, file.package + "." + t.name, path, comments, level, page)
        else:
            render_enum(out, t, file.package + "." + t.name, path, comments, level)


GENERATED = "<!-- Generated by scripts/gen-docs.sh from the .proto files. Do not edit. -->"


def write(page, lines):
    text = "\n".join(lines).rstrip("\n") + "\n"
    with open(os.path.join(out_dir, page), "w", encoding="utf-8") as f:
        f.write(text)


# One page per API file.
for file in api_files:
    page = page_of(file)
    out = [GENERATED, "", "# `%s`" % file.name, "",
           "Package `%s`. [Index](README.md)" % file.package, ""]
    render_file(out, file, page)
    write(page, out)

# The googleapis types the API refers to, on one page.
out = [GENERATED, "", "# googleapis types", "",
       "Types from [googleapis](https://github.com/googleapis/googleapis) that the Pledgebook API "
       "uses, as vendored in `third_party/googleapis/`. [Index](README.md)", ""]
for file in google_files:
    out.append("## `%s`" % file.name)
    out.append("")
    render_file(out, file, "googleapis.md", level=3)
write("googleapis.md", out)

# The index: every service with its RPCs, then every type, by page.
out = [GENERATED, "", "# Pledgebook API reference", "",
       "Generated from the comments in `proto/pledgebook/v1/` (regenerate with "
       "`scripts/gen-docs.sh`). Filters are described in [../filtering.md](../filtering.md).", "",
       "Errors use the canonical gRPC codes; their `google.rpc.Status` (trailer "
       "`grpc-status-details-bin`) carries [`google.rpc.ErrorInfo`](googleapis.md#google-rpc-errorinfo) "
       "and, for bad arguments, [`google.rpc.BadRequest`](googleapis.md#google-rpc-badrequest) "
       "naming the field.", ""]
out.append("## Services")
out.append("")
for file in api_files:
    for i, s in enumerate(file.service):
        full = file.package + "." + s.name
        comment = Comments(file).leading([F_SERVICE, i])
        first = comment.split("\n\n")[0].replace("\n", " ")
        out.append("- [`%s`](%s#%s) — %s" % (full, page_of(file), anchor(full), first))
        for m in s.method:
            out.append("  - [`%s`](%s#%s)" % (m.name, page_of(file), anchor(full + "." + m.name)))
out.append("")
out.append("## Files")
out.append("")
for file in api_files + google_files:
    page = page_of(file)
    types = [file.package + "." + t.name for t in list(file.message_type) + list(file.enum_type)]
    links = ", ".join("[`%s`](%s#%s)" % (n.split(".")[-1], page, anchor(n)) for n in types)
    out.append("- [`%s`](%s): %s" % (file.name, page, links))
out.append("")
write("README.md", out)
PY
echo "API reference written to $out"
