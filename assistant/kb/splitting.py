"""Split a parsed document into passages along its headings and paragraphs.

A section (a heading and the paragraphs under it) is the natural unit of a guideline: it
stays whole when it fits, is split at paragraphs and then sentences when it is long
(langchain-text-splitters, with overlap), and short neighbours on the same page are merged so
that no passage is a lone heading or a one-line remark.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.kb.loaders import LIST_ITEM as _LIST_ITEM
from assistant.kb.types import ParsedDocument, Piece

CHUNK_SIZE = 700  # characters; long sections are split into passages of at most this
CHUNK_OVERLAP = 120
MIN_CHUNK = 300  # a passage shorter than this is merged with a neighbour when they fit
MERGE_MAX = 800
SECTION_SEP = " › "  # between a heading and its subheading
LABEL_SEP = "; "  # between the sections of a passage that merged short ones

_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", "; ", ", ", " ", ""]


@dataclass(slots=True)
class _Section:
    path: tuple[str, ...]
    page: int | None
    paragraphs: list[str] = field(default_factory=list)


def split_document(doc: ParsedDocument) -> list[Piece]:
    """Passages of about 300–800 characters, each with its section heading and page."""
    pieces = [piece for section in _sections(doc) for piece in _split_section(section)]
    return _merge_small(pieces)


def _sections(doc: ParsedDocument) -> list[_Section]:
    stack: list[tuple[int, str]] = []  # (level, heading) of the headings we are under
    sections: list[_Section] = []
    for block in doc.blocks:
        if block.level:
            while stack and stack[-1][0] >= block.level:
                stack.pop()
            stack.append((block.level, block.text))
            # The heading's own words stay in the passage: they often say what it is about.
            sections.append(_Section(tuple(h for _, h in stack), block.page, [block.text]))
        elif not sections or sections[-1].page != block.page:
            path = sections[-1].path if sections else ()
            sections.append(_Section(path, block.page, _units(block.text)))
        else:
            sections[-1].paragraphs.extend(_units(block.text))
    return sections


def _units(paragraph: str) -> list[str]:
    """A list's items are split apart (as paragraphs are), so that a long list is cut between
    items and not after a first short piece holding only its heading and lead-in."""
    lines = [line for line in paragraph.split("\n") if line.strip()]
    if len(lines) > 1 and sum(bool(_LIST_ITEM.match(line)) for line in lines) * 2 >= len(lines):
        return lines
    return [paragraph]


def _split_section(section: _Section) -> list[Piece]:
    label = SECTION_SEP.join(section.path)
    text = "\n\n".join(section.paragraphs)
    parts = (_rejoin_lists(part.strip()) for part in _balanced_split(text))
    return [Piece(part, label, section.page) for part in parts if part]


def _balanced_split(text: str) -> list[str]:
    """Split into as few passages as CHUNK_SIZE allows, of about equal length.

    Filling passages greedily up to CHUNK_SIZE leaves a short last (or first) passage that
    then drifts into a neighbouring section; equal parts keep each part of a section whole.
    """
    if len(text) <= CHUNK_SIZE:
        return [text]
    parts = math.ceil(len(text) / (CHUNK_SIZE - CHUNK_OVERLAP))
    size = min(CHUNK_SIZE, math.ceil(len(text) / parts) + CHUNK_OVERLAP)
    splitter = RecursiveCharacterTextSplitter(chunk_size=size, chunk_overlap=min(CHUNK_OVERLAP, size // 4),
                                              keep_separator="end", separators=_SEPARATORS)
    return splitter.split_text(text)


def _rejoin_lists(text: str) -> str:
    """Put a list's items, split apart by _units, back on consecutive lines."""
    out: list[str] = []
    for para in text.split("\n\n"):
        if out and _LIST_ITEM.match(para) and _LIST_ITEM.match(out[-1].rsplit("\n", 1)[-1]):
            out[-1] += "\n" + para
        else:
            out.append(para)
    return "\n\n".join(out)


def _merge_small(pieces: list[Piece]) -> list[Piece]:
    """Merge short passages with their neighbour on the same page while they fit MERGE_MAX.

    Measured on the mentoring corpus, merging short sections beats keeping them apart (their
    neighbours give the embedding context); the label then names every section it holds.
    """
    merged: list[Piece] = []
    for piece in pieces:
        last = merged[-1] if merged else None
        if (last is not None and last.page == piece.page
                and min(len(last.text), len(piece.text)) < MIN_CHUNK
                and len(last.text) + len(piece.text) + 2 <= MERGE_MAX):
            labels = [label for label in last.section.split(LABEL_SEP) if label]
            if piece.section and piece.section not in labels:
                labels.append(piece.section)
            merged[-1] = Piece(f"{last.text}\n\n{piece.text}", LABEL_SEP.join(labels), piece.page)
        else:
            merged.append(piece)
    return merged


def index_text(piece: Piece) -> str:
    """What is embedded and keyword-indexed: the passage led by its section's headings.

    The document title is left out on purpose: measured on the mentoring corpus (see
    bench/kb_quality.py), titles of saved web pages are generic and pulled every passage of
    a document towards each other, costing 2–4 of 65 questions their top-3 hit.
    """
    first = piece.section.split(LABEL_SEP)[0]  # merged passages start with their first section
    headings = first.split(SECTION_SEP) if first else []
    if headings and piece.text.startswith(headings[-1]):
        headings = headings[:-1]  # the passage already starts with its own heading
    return f"{SECTION_SEP.join(headings)}\n{piece.text}" if headings else piece.text
