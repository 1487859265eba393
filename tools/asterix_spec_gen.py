#!/usr/bin/env python3
"""Generate the static ASTERIX layout tables of `crates/bulwark-asterix/src/spec/cat0NN.rs`.

Input: the `.ast` category transcriptions of zoranbosnjak/asterix-specs (BSD-3-Clause), an
indentation-structured text format:

    asterix 048 "Monoradar Target Reports"
    edition 1.31
    items
        010 "Data Source Identifier"
            definition / remark / description   (free text, ignored)
            group | extended | compound | repetitive N | repetitive fx | explicit re|sp | element N
    uap
        010
        -            (spare slot)

Usage (deterministic; not run in CI, the output is committed):

    python3 tools/asterix_spec_gen.py /work/shared/asterix-specs crates/bulwark-asterix/src/spec

It writes one Rust file per category and formats it with rustfmt (the repository's rustfmt.toml).
Only the Python standard library is needed.
"""

import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

# The editions the crate supports (those Wireshark 4.0 decodes, plus CAT021 2.6).
SOURCES = ["cat021-2.6.ast", "cat034-1.29.ast", "cat048-1.31.ast", "cat062-1.19.ast"]
UPSTREAM = "zoranbosnjak/asterix-specs commit c2b3d676a3359c319f672c974553cff7a79f0cae"


class SpecError(Exception):
    pass


class Node:
    def __init__(self, text, line):
        self.text = text
        self.line = line
        self.children = []

    def __repr__(self):
        return f"Node({self.text!r}@{self.line})"


def parse_tree(path):
    """Lines into a tree by indentation (blank lines skipped)."""
    root = Node("<root>", 0)
    stack = [(-1, root)]
    for no, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise SpecError(f"{path}:{no}: tab in indentation")
        indent = len(raw) - len(raw.lstrip(" "))
        node = Node(raw.strip(), no)
        while stack[-1][0] >= indent:
            stack.pop()
        stack[-1][1].children.append(node)
        stack.append((indent, node))
    return root


NAMED = re.compile(r'^([A-Za-z0-9_]+) "(.*)"$')
TEXT_BLOCKS = {"definition", "remark", "description"}
STRUCT = re.compile(r"^(element \d+|group|extended|compound|repetitive (\d+|fx)|explicit (re|sp))$")


def lsb_value(text, where):
    """`180/2^23`, `1/10`, `25`, `360/2^16` as an exact fraction."""
    m = re.fullmatch(r"(\d+)(?:/(\d+)(?:\^(\d+))?)?", text)
    if not m:
        raise SpecError(f"{where}: cannot read lsb {text!r}")
    num = int(m.group(1))
    den = 1
    if m.group(2):
        den = int(m.group(2)) ** int(m.group(3) or 1)
    return Fraction(num, den)


def parse_content(node, width, where):
    """The line under `element N`: kind of the element."""
    if len(node.children) != 1:
        raise SpecError(f"{where}: element without exactly one content line")
    return parse_kind(node.children[0], width, where)


def parse_kind(c, width, where):
    t = c.text
    if t == "raw" or t.startswith("bds"):
        return {"kind": "Raw", "signed": False}
    if t == "table":
        entries = []
        for e in c.children:
            m = re.fullmatch(r"(\d+): (.*)", e.text)
            if not m:
                raise SpecError(f"{where}: bad table entry {e.text!r} (line {e.line})")
            entries.append((int(m.group(1)), m.group(2)))
        return {"kind": "Table", "signed": False, "entries": entries}
    m = re.fullmatch(r"string (ascii|icao|octal)", t)
    if m:
        per = {"ascii": 8, "icao": 6, "octal": 3}[m.group(1)]
        if width % per:
            raise SpecError(f"{where}: string width {width} not a multiple of {per}")
        return {"kind": {"ascii": "Ascii", "icao": "Icao", "octal": "Octal"}[m.group(1)], "signed": False}
    m = re.fullmatch(r"(signed|unsigned) integer( .*)?", t)
    if m:
        return {"kind": "Integer", "signed": m.group(1) == "signed"}
    m = re.fullmatch(r'(signed|unsigned) quantity (\S+) "([^"]*)"( .*)?', t)
    if m:
        lsb = lsb_value(m.group(2), where)
        return {
            "kind": "Quantity",
            "signed": m.group(1) == "signed",
            "lsb": lsb,
            "lsb_text": m.group(2),
            "unit": m.group(3),
        }
    m = re.fullmatch(r"case (\S+)", t)
    if m:
        # The meaning depends on a sibling element (the last path component) of the same chunk.
        on = m.group(1).split("/")[-1]
        cases, default = [], None
        for br in c.children:
            if len(br.children) != 1:
                raise SpecError(f"{where}: case branch {br.text!r} without one content line")
            inner = parse_kind(br.children[0], width, where)
            if br.text == "default:":
                default = inner
            else:
                mm = re.fullmatch(r"(\d+):", br.text)
                if not mm:
                    raise SpecError(f"{where}: bad case branch {br.text!r}")
                cases.append((int(mm.group(1)), inner))
        if default is None:
            default = {"kind": "Raw", "signed": False}
        return {"kind": "Case", "signed": False, "on": on, "cases": cases, "default": default}
    raise SpecError(f"{where}: unknown element content {t!r} (line {c.line})")


def body_structure(node, where):
    """The one structural child of an item or sub-item (skipping text blocks)."""
    structs = [c for c in node.children if c.text.split(" ")[0] not in TEXT_BLOCKS]
    if len(structs) != 1 or not STRUCT.match(structs[0].text):
        raise SpecError(f"{where}: expected one structure, found {[s.text for s in structs]} (line {node.line})")
    return structs[0]


def flatten(node, where, prefix=""):
    """Elements of an `element`/`group` node as (name, title, width, kind dict) with spares as None."""
    t = node.text
    if t.startswith("element "):
        width = int(t.split()[1])
        return [{"name": prefix.rstrip("."), "title": "", "width": width, **parse_content(node, width, where)}]
    if t == "group":
        out = []
        for c in node.children:
            out.extend(group_member(c, where, prefix))
        return out
    raise SpecError(f"{where}: {t!r} where an element or group is expected (line {node.line})")


def group_member(c, where, prefix):
    m = re.fullmatch(r"spare (\d+)", c.text)
    if m:
        return [{"spare": int(m.group(1))}]
    m = NAMED.match(c.text)
    if not m:
        raise SpecError(f"{where}: bad group member {c.text!r} (line {c.line})")
    name, title = m.group(1), m.group(2)
    inner = body_structure(c, f"{where}/{name}")
    els = flatten(inner, f"{where}/{name}", f"{prefix}{name}.")
    if inner.text.startswith("element "):
        els[0]["title"] = title
    return els


def place(members):
    """Bit offsets from the MSB; returns (elements, total width)."""
    bit = 0
    out = []
    for e in members:
        if "spare" in e:
            bit += e["spare"]
            continue
        if e["width"] > 64:
            raise SpecError(f"element {e['name']} wider than 64 bits")
        out.append({**e, "bit": bit})
        bit += e["width"]
    return out, bit


def parse_structure(node, where):
    t = node.text
    if t.startswith("element ") or t == "group":
        els, width = place(flatten(node, where))
        if width % 8:
            raise SpecError(f"{where}: fixed item of {width} bits")
        return {"s": "Fixed", "len": width // 8, "elements": els}
    if t == "extended":
        parts, cur = [], []
        for c in node.children:
            if c.text == "-":
                els, width = place(cur)
                if (width + 1) % 8:
                    raise SpecError(f"{where}: extended part of {width}+1 bits")
                parts.append({"len": (width + 1) // 8, "elements": els})
                cur = []
            else:
                cur.extend(group_member(c, where, ""))
        if cur:
            # A last part without FX (not used by the supported editions).
            raise SpecError(f"{where}: extended item whose last part has no FX")
        return {"s": "Extended", "parts": parts}
    m = re.fullmatch(r"repetitive (\d+|fx)", t)
    if m:
        if len(node.children) != 1:
            raise SpecError(f"{where}: repetitive with {len(node.children)} children")
        els, width = place(flatten(node.children[0], where))
        if m.group(1) == "fx":
            if (width + 1) % 8:
                raise SpecError(f"{where}: repetitive fx element of {width}+1 bits")
            return {"s": "RepetitiveFx", "len": (width + 1) // 8, "elements": els}
        if m.group(1) != "1":
            raise SpecError(f"{where}: repetition counter of {m.group(1)} octets")
        if width % 8:
            raise SpecError(f"{where}: repetitive element of {width} bits")
        return {"s": "Repetitive", "len": width // 8, "elements": els}
    if t in ("explicit re", "explicit sp"):
        return {"s": "Explicit"}
    if t == "compound":
        subs = []
        for c in node.children:
            if c.text == "-":
                subs.append({"id": "-", "title": "", "structure": {"s": "Spare"}})
                continue
            m = NAMED.match(c.text)
            if not m:
                raise SpecError(f"{where}: bad compound member {c.text!r} (line {c.line})")
            sub_where = f"{where}/{m.group(1)}"
            subs.append(
                {
                    "id": m.group(1),
                    "title": m.group(2),
                    "structure": parse_structure(body_structure(c, sub_where), sub_where),
                }
            )
        return {"s": "Compound", "subs": subs}
    raise SpecError(f"{where}: unknown structure {t!r} (line {node.line})")


def parse_spec(path):
    root = parse_tree(path)
    top = {c.text.split(" ")[0]: c for c in root.children}
    m = re.fullmatch(r'asterix (\d{3}) "(.*)"', root.children[0].text)
    if not m:
        raise SpecError(f"{path}: no 'asterix NNN' header")
    cat, title = int(m.group(1)), m.group(2)
    edition = top["edition"].text.split()[1]
    date = top["date"].text.split()[1] if "date" in top else ""
    items = {}
    for it in top["items"].children:
        m = NAMED.match(it.text)
        if not m:
            raise SpecError(f"{path}:{it.line}: bad item header {it.text!r}")
        iid = m.group(1)
        where = f"{path.name} I{cat:03}/{iid}"
        items[iid] = {"id": iid, "title": m.group(2), "structure": parse_structure(body_structure(it, where), where)}
    uap = []
    for u in top["uap"].children:
        if u.text == "-":
            uap.append({"id": "-", "title": "", "structure": {"s": "Spare"}})
        elif u.text in items:
            uap.append(items[u.text])
        else:
            raise SpecError(f"{path}:{u.line}: UAP names unknown item {u.text!r}")
    return {"cat": cat, "title": title, "edition": edition, "date": date, "uap": uap}


# ---------------------------------------------------------------- Rust emission


def rs_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rs_f64(fr):
    v = float(fr)
    r = repr(v)
    if "e" not in r and "." not in r:
        r += ".0"
    return r


def rs_kind(e):
    k = e["kind"]
    if k == "Table":
        entries = ", ".join(f"({v}, {rs_str(s)})" for v, s in e["entries"])
        return f"Kind::Table(&[{entries}])"
    if k == "Quantity":
        return f"Kind::Quantity {{ lsb: {rs_f64(e['lsb'])}, unit: {rs_str(e['unit'])} }}"
    if k == "Case":
        cases = ", ".join(f"Case {{ value: {v}, signed: {rs_bool(c['signed'])}, kind: {rs_kind(c)} }}" for v, c in e["cases"])
        d = e["default"]
        default = f"Case {{ value: 0, signed: {rs_bool(d['signed'])}, kind: {rs_kind(d)} }}"
        return f"Kind::Case {{ on: {rs_str(e['on'])}, cases: &[{cases}], default: &{default} }}"
    return f"Kind::{k}"


def rs_bool(b):
    return "true" if b else "false"


def rs_elements(els):
    out = []
    for e in els:
        out.append(
            f"Element {{ name: {rs_str(e['name'])}, title: {rs_str(e['title'])}, bit: {e['bit']}, "
            f"width: {e['width']}, signed: {'true' if e['signed'] else 'false'}, kind: {rs_kind(e)} }}"
        )
    return "&[" + ", ".join(out) + "]"


def rs_structure(s):
    k = s["s"]
    if k == "Spare":
        return "Structure::Spare"
    if k == "Explicit":
        return "Structure::Explicit"
    if k in ("Fixed", "Repetitive", "RepetitiveFx"):
        return f"Structure::{k} {{ len: {s['len']}, elements: {rs_elements(s['elements'])} }}"
    if k == "Extended":
        parts = ", ".join(f"Part {{ len: {p['len']}, elements: {rs_elements(p['elements'])} }}" for p in s["parts"])
        return f"Structure::Extended {{ parts: &[{parts}] }}"
    if k == "Compound":
        return f"Structure::Compound {{ subitems: &[{', '.join(rs_item(x) for x in s['subs'])}] }}"
    raise SpecError(k)


def rs_item(it):
    return f"Item {{ id: {rs_str(it['id'])}, title: {rs_str(it['title'])}, structure: {rs_structure(it['structure'])} }}"


def emit(spec, source):
    cat = spec["cat"]
    lines = [
        f"// @generated by tools/asterix_spec_gen.py from {source}",
        f"// (CAT{cat:03} \"{spec['title']}\", edition {spec['edition']}, {spec['date']}).",
        f"// Source: {UPSTREAM},",
        "// BSD-3-Clause (see docs/models/asterix-layout.md).",
        "// Do not edit: change the generator and re-run it.",
        "",
        f"//! CAT{cat:03} edition {spec['edition']} layout tables (generated).",
        "use super::{IMPORTS};",
        "",
        f"/// CAT{cat:03} {spec['title']}, edition {spec['edition']}.",
        f"pub static CAT{cat:03}: Category = Category {{",
        f"    category: {cat},",
        f"    title: {rs_str(spec['title'])},",
        f"    edition: {rs_str(spec['edition'])},",
        f"    source: {rs_str(source)},",
        f"    uap: &[{', '.join(rs_item(it) for it in spec['uap'])}],",
        "};",
        "",
    ]
    text = "\n".join(lines)
    used = [n for n in ("Case", "Category", "Element", "Item", "Kind", "Part", "Structure") if re.search(rf"\b{n} ?[{{:]", text.split("use super")[1])]
    return text.replace("{IMPORTS}", "{" + ", ".join(used) + "}")


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst = Path(argv[1]), Path(argv[2])
    dst.mkdir(parents=True, exist_ok=True)
    for name in SOURCES:
        spec = parse_spec(src / name)
        out = dst / f"cat{spec['cat']:03}.rs"
        out.write_text(emit(spec, name), encoding="utf-8")
        config = Path(__file__).resolve().parent.parent / "rustfmt.toml"
        subprocess.run(["rustfmt", "--edition", "2024", "--config-path", str(config), str(out)], check=True)
        print(f"{name} -> {out} ({len(spec['uap'])} UAP slots)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
