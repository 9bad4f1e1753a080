"""Turn a file's bytes into a ParsedDocument: a title and headings and paragraphs in order.

Every loader works on bytes (no file I/O here) and raises IngestError with a message a
coordinator can act on. HTML and Word documents are first rewritten as Markdown-like text
(headings as '#' lines) so that one parser finds the sections of every format.
"""
from __future__ import annotations

import io
import re
from pathlib import PurePath
from typing import Callable

from assistant.kb.types import Block, IngestError, ParsedDocument

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s*([-*+•◦▪]|\d+[.)])\s+")
# Accessibility links that open most pages saved from the web; never a document's title.
_WEB_FURNITURE = {"skip to content", "skip to main content"}
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def parse(name: str, data: bytes) -> ParsedDocument:
    """Parse one file; raises IngestError for empty, binary, broken or unsupported input."""
    ext = PurePath(name).suffix.lower()
    loader = _LOADERS.get(ext)
    if loader is None:
        raise IngestError(f"unsupported file type '{ext or name}': use .md, .txt, .html, .pdf or .docx")
    if not data.strip():
        raise IngestError("the file is empty")
    doc = loader(data, _title_from_name(name))
    if not any(block.level == 0 and block.text.strip() for block in doc.blocks):
        hint = " (a scanned PDF needs text recognition first)" if ext == ".pdf" else ""
        raise IngestError(f"no text found in the file{hint}")
    return doc


def _title_from_name(name: str) -> str:
    return re.sub(r"[_-]+", " ", PurePath(name).stem).strip() or name


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str; binary content is refused rather than indexed as noise."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark (Windows Notepad)
        data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in data[:8192]:
        raise IngestError("this looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.02 * min(len(text), 8192):
        raise IngestError("this looks like a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _paragraphs(text: str) -> list[str]:
    lines = [line for line in text.split("\n") if line.strip().lower() not in _WEB_FURNITURE]
    return [p.strip("\n") for p in re.split(r"\n[ \t\u00a0]*\n", "\n".join(lines)) if p.strip()]


def _looks_like_heading(paragraph: str) -> bool:
    """A plain-text heading: one short line that is not a sentence or a list item."""
    line = paragraph.strip()
    return ("\n" not in line and 0 < len(line) <= 90 and not LIST_ITEM.match(line)
            and line[-1] not in ".,;:!…" and not line.endswith(('"', "”")) and len(line.split()) <= 14)


def parse_plain(text: str, fallback_title: str, page: int | None = None,
                first_is_title: bool = True) -> ParsedDocument:
    """Plain text: short stand-alone lines are headings; the first one is the title.

    Three or more heading-like lines in a row are a by-line or a page's furniture
    ("Published on", a date, an author), not headings, and stay as text.
    """
    paragraphs = _paragraphs(text)
    like = [_looks_like_heading(p) for p in paragraphs]
    doc = ParsedDocument(title=fallback_title)
    for i, para in enumerate(paragraphs):
        run = _run_length(like, i)
        if like[i] and i == 0 and first_is_title:
            doc.title = para.strip()
        elif like[i] and run < 3:
            doc.blocks.append(Block(para.strip(), level=2, page=page))
        else:
            doc.blocks.append(Block(para.strip(), page=page))
    return doc


def _run_length(flags: list[bool], i: int) -> int:
    """How many True values in a row the i-th belongs to (0 if it is False)."""
    if not flags[i]:
        return 0
    start, end = i, i
    while start > 0 and flags[start - 1]:
        start -= 1
    while end + 1 < len(flags) and flags[end + 1]:
        end += 1
    return end - start + 1


def parse_markdown(text: str, fallback_title: str) -> ParsedDocument:
    """Markdown with '#' headings; a level-1 heading at the top (or front matter) is the title."""
    title = fallback_title
    match = _FRONT_MATTER.match(text)
    if match:
        found = re.search(r"^title:\s*[\"']?(.+?)[\"']?\s*$", match.group(1), re.M)
        title = found.group(1) if found else title
        text = text[match.end():]
    if not any(_MD_HEADING.match(line) for line in text.splitlines()):
        return parse_plain(text, title, first_is_title=not match)
    doc = ParsedDocument(title=title)
    body: list[str] = []

    def flush() -> None:
        doc.blocks.extend(Block(p.strip()) for p in _paragraphs("\n".join(body)))
        body.clear()

    in_code = False
    for line in text.splitlines():
        in_code ^= line.lstrip().startswith(("```", "~~~"))
        heading = None if in_code else _MD_HEADING.match(line)
        if not heading:
            body.append(line)
            continue
        flush()
        level, words = len(heading.group(1)), heading.group(2).strip()
        if level == 1 and not doc.blocks and not match and doc.title == fallback_title:
            doc.title = words
        else:
            doc.blocks.append(Block(words, level=level))
    flush()
    return doc


def _load_text(data: bytes, title: str) -> ParsedDocument:
    return parse_plain(decode_text(data), title)


def _load_markdown(data: bytes, title: str) -> ParsedDocument:
    return parse_markdown(decode_text(data), title)


def _load_html(data: bytes, title: str) -> ParsedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "form", "svg", "template"]):
        tag.decompose()
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if soup.title:
        soup.title.decompose()
    for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        tag.replace_with(f"\n\n{'#' * int(tag.name[1])} {tag.get_text(' ', strip=True)}\n\n")
    for tag in soup.find_all("li"):
        tag.insert(0, "- ")
    for tag in soup.find_all(["p", "li", "div", "tr", "blockquote", "pre", "section", "article", "table"]):
        tag.append("\n\n")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    text = re.sub(r"[ \t\u00a0]+", " ", soup.get_text())
    return parse_markdown(text, page_title or title)


def _load_docx(data: bytes, title: str) -> ParsedDocument:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        raise IngestError("this is not a valid Word (.docx) document") from exc
    lines: list[str] = []
    doc_title = (document.core_properties.title or "").strip()
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            lines += [" | ".join(cell.text.strip() for cell in row.cells) for row in item.rows]
            continue
        text, style = item.text.strip(), (item.style.name if item.style is not None else "")
        if not text:
            continue
        if style == "Title":
            doc_title = doc_title or text
        elif style.startswith("Heading") and style[-1:].isdigit():
            lines.append(f"{'#' * min(int(style.split()[-1]) + 1, 6)} {text}")
        else:
            lines.append(f"- {text}" if "List" in style else text)
    return parse_markdown("\n\n".join(lines), doc_title or title)


def _load_pdf(data: bytes, title: str) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.lstrip()[:5] == b"%PDF-":
        raise IngestError("this is not a PDF file (it lacks the %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _try_empty_password(reader):
            raise IngestError("the PDF is password-protected: upload a copy without a password")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except IngestError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise IngestError(f"the PDF is damaged and can't be read ({type(exc).__name__})") from exc
    doc = ParsedDocument(title=meta_title.strip() or title)
    for number, text in enumerate(pages, start=1):
        page_doc = parse_plain(_pdf_paragraphs(text), doc.title, page=number,
                               first_is_title=number == 1 and not meta_title.strip())
        if number == 1:
            doc.title = page_doc.title
        doc.blocks += page_doc.blocks
    return doc


def _try_empty_password(reader) -> bool:
    # Many "encrypted" PDFs only restrict printing and open with the empty password.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf needs the cryptography package for AES; either way we can't read it
        return False


def _pdf_paragraphs(text: str) -> str:
    """PDF text comes line by line: set headings and list items apart as paragraphs.

    A short line without final punctuation is a heading only where a block can start
    (after a sentence or another heading), not where a wrapped sentence ends.
    """
    out: list[str] = []
    prev, prev_heading = "", False
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        starts_block = not prev or prev_heading or prev[-1] in ".!?:;"
        heading = starts_block and _looks_like_heading(line)
        if out and (heading or prev_heading or (starts_block and LIST_ITEM.match(line))):
            out += ["", line]
        elif out:
            out[-1] += " " + line  # a wrapped line continues its paragraph
        else:
            out.append(line)
        prev, prev_heading = line, heading
    return "\n".join(out)


_LOADERS: dict[str, Callable[[bytes, str], ParsedDocument]] = {
    ".md": _load_markdown, ".markdown": _load_markdown, ".txt": _load_text,
    ".html": _load_html, ".htm": _load_html, ".pdf": _load_pdf, ".docx": _load_docx,
}
