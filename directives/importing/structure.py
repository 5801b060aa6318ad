"""The numbered structure of a directive body.

Party documents number their parts with a fixed hierarchy, whatever the punctuation:

| rank | looks like | label |
|---|---|---|
| 10 | "I-", "II.", "III:" (Roman) | "I" |
| 20 + depth | "1.", "1-", "1)", "1.1.", "2.3-", "1.1.2." | "1", "1.1" |
| 40 | "a)", "b." | "a" |
| 50 | "-", "–", "•" | "-" |
| 60 | "+" | "+" |

`build_tree` reads paragraphs (one per line of the cleaned body) into a tree of `Node`s.
A labelled line opens a node under the nearest open node of a smaller rank. An
unlabelled paragraph belongs to the open numbered node; after a "-"/"+" bullet it goes back
to the bullet's numbered parent (bullets are one paragraph each in these documents), unless
it starts with a lowercase letter, which makes it the bullet's continuation. Footnote bodies
("¹ Trọng tâm là ...") are kept aside and never join the structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cleaning import is_footnote_body

_ROMAN = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
_ROMAN_RE = re.compile(r"^(" + _ROMAN + r")\s*[-.–:)/]\s*(\S.*)$")
_MULTI_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\s*[.\-–:)]?\s+(\S.*)$")
_NUM_RE = re.compile(r"^(\d{1,2})\s*[.\-–)]\s*(\S.*)$")
_LETTER_RE = re.compile(r"^([a-zđ])\s*[).]\s+(\S.*)$")
_DASH_RE = re.compile(r"^[-–—•]\s*(\S.*)$")
_PLUS_RE = re.compile(r"^\+\s*(\S.*)$")


@dataclass
class Node:
    """One numbered part, item or bullet; `items` keeps paragraphs and children in order."""

    label: str
    kind: str
    rank: int
    title: str
    parent: Node | None = None
    items: list[str | Node] = field(default_factory=list)

    @property
    def children(self) -> list[Node]:
        return [i for i in self.items if isinstance(i, Node)]

    @property
    def paragraphs(self) -> list[str]:
        return [i for i in self.items if isinstance(i, str)]

    @property
    def is_bullet(self) -> bool:
        return self.kind in ("dash", "plus")

    def path(self) -> str | None:
        """Section label such as "II.2.1" (bullets take their numbered parent's path)."""
        labels: list[str] = []
        node: Node | None = self
        chain: list[Node] = []
        while node is not None and node.kind != "root":
            if not node.is_bullet:
                chain.append(node)
            node = node.parent
        for n in reversed(chain):
            # "2.1" under "2" already says "2": keep the longer label only.
            if labels and n.label.startswith(labels[-1] + "."):
                labels[-1] = n.label
            else:
                labels.append(n.label)
        return ".".join(labels) if labels else None

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "title": self.title,
            "children": [c.to_json() for c in self.children],
        }


def parse_label(line: str) -> tuple[str, str, int, str] | None:
    """(label, kind, rank, rest) for a labelled line, else None."""
    for rx, kind in (
        (_ROMAN_RE, "roman"),
        (_MULTI_RE, "multi"),
        (_NUM_RE, "num"),
        (_LETTER_RE, "letter"),
        (_DASH_RE, "dash"),
        (_PLUS_RE, "plus"),
    ):
        m = rx.match(line)
        if not m:
            continue
        if kind == "roman":
            return m.group(1), "roman", 10, m.group(2).strip()
        if kind == "multi":
            label = m.group(1)
            return label, "num", 20 + label.count("."), m.group(2).strip()
        if kind == "num":
            rest = m.group(2).strip()
            # "21-CT/TW ..." at the start of a wrapped line is a code, not item 21.
            if re.match(r"^[A-ZĐ][A-Za-zĐđ]{0,4}\s*/", rest):
                return None
            # "27-8-2013 của ..." is a date split by a line wrap.
            if re.match(r"^\d{1,4}\s*[-/.]\s*\d", rest):
                return None
            # "5 năm qua" or "2023 - ..." are sentences, not items: a label is short.
            return m.group(1), "num", 20, rest
        if kind == "letter":
            return m.group(1), "letter", 40, m.group(2).strip()
        if kind == "dash":
            return "-", "dash", 50, m.group(1).strip()
        if kind == "plus":
            return "+", "plus", 60, m.group(1).strip()
    return None


def build_tree(paragraphs: list[str]) -> tuple[Node, list[str]]:
    """The root node of the body and the footnote bodies found in it."""
    root = Node(label="", kind="root", rank=0, title="")
    stack: list[Node] = [root]
    footnotes: list[str] = []
    for para in paragraphs:
        if is_footnote_body(para):
            footnotes.append(para)
            continue
        parsed = parse_label(para)
        if parsed is None:
            top = stack[-1]
            if top.is_bullet and not para[:1].islower():
                while stack[-1].is_bullet:
                    stack.pop()
            stack[-1].items.append(para)
            continue
        label, kind, rank, rest = parsed
        while stack[-1].rank >= rank and stack[-1].kind != "root":
            stack.pop()
        parent = stack[-1]
        node = Node(label=label, kind=kind, rank=rank, title=rest, parent=parent)
        parent.items.append(node)
        stack.append(node)
    return root, footnotes


def iter_nodes(node: Node) -> list[Node]:
    """Every node below `node`, depth first, in document order."""
    out: list[Node] = []
    for child in node.children:
        out.append(child)
        out.extend(iter_nodes(child))
    return out
