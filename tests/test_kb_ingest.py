"""Ingestion into the knowledge base: formats, dedupe, replace, remove, bad input, rollback.

Real parts throughout: files made in tmp_path (PDF by fpdf2, Word by python-docx), the real
embedding model and an embedded Chroma under a tmp_path home.
"""
from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.config import Settings
from assistant.kb import KnowledgeBase
from assistant.kb.embeddings import MiniLMEmbeddingFunction

GUIDE_MD = """# Meeting guide

## Meeting cadence

Mentor and mentee meet every two weeks for forty-five minutes. The mentee books the room
and sends an agenda two days before. If a meeting has to move, the person who moves it
proposes two new times within the same week, so that the rhythm of the pair is kept and
no more than three weeks ever pass between two conversations.

## Ending the relationship

After nine months the pair holds a closing conversation. Together they write down what
was learned, which goals were reached and which will be carried on alone. The mentee
thanks the mentor in writing, and both fill in the program's short closing survey so
that the coordinator can improve the next round.
"""


@pytest.fixture(scope="module")
def embedder():
    return MiniLMEmbeddingFunction()


@pytest.fixture
def kb(tmp_path, embedder):
    settings = Settings(home=tmp_path / "home", knowledge_dir=tmp_path / "knowledge", max_upload_mb=1)
    return KnowledgeBase(settings, embedder=embedder)


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def make_pdf(path: Path, pages: list[tuple[str, str]]) -> Path:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for heading, body in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, heading)
        pdf.ln(4)
        pdf.multi_cell(0, 6, body)
    pdf.output(str(path))
    return path


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Feedback handbook", style="Title")
    document.add_heading("Giving feedback", level=1)
    document.add_paragraph("Describe the situation, the behaviour and its impact, then ask a question.")
    document.add_heading("Receiving feedback", level=1)
    document.add_paragraph("Listen to the end, thank the person and ask for one concrete example.")
    document.save(str(path))
    return path


def test_markdown_keeps_title_and_sections(kb, tmp_path):
    result = kb.add_file(write(tmp_path / "meetings.md", GUIDE_MD))
    assert (result.status, result.error) == ("added", None)
    assert result.chunks >= 1
    [doc] = kb.list_documents()
    assert (doc.title, doc.source, doc.chunks) == ("Meeting guide", "meetings.md", result.chunks)
    top = kb.search("How often do mentor and mentee meet?", k=1)[0]
    assert top.section == "Meeting cadence" and "every two weeks" in top.text
    assert top.doc_id == result.doc_id and top.title == "Meeting guide"


def test_plain_text_headings_are_found(kb, tmp_path):
    text = ("Program handbook\n\nConfidentiality\n\nWhat is said in a session stays between mentor "
            "and mentee unless someone is at risk. Notes belong to the mentee; the mentor keeps none "
            "after the program ends, and the coordinator sees goals and dates but never the notes. "
            "A mentor who is unsure whether something may be shared asks the mentee first.\n\n"
            "Outside mentors\n\nMentees may also have a mentor outside the company. Company plans, "
            "figures and client names are not shared with them, but career questions, skills and "
            "personal development can be discussed freely, and the program is glad when they are.\n")
    kb.add_file(write(tmp_path / "handbook.txt", text))
    top = kb.search("Can I have a mentor outside the company?", k=1)[0]
    assert top.title == "Program handbook"
    assert "Outside mentors" in top.section.split("; ") and "Program handbook" not in top.section


def test_html_drops_scripts_and_keeps_headings(kb, tmp_path):
    html = ("<html><head><title>Goal guide</title><script>var tracking = 1;</script></head><body>"
            "<nav>Home | About</nav><h1>SMART goals</h1><h2>Measurable</h2>"
            "<p>Say what you will count, for example <b>three talks</b> given.</p>"
            "<ul><li>a number</li><li>a deadline</li></ul></body></html>")
    kb.add_file(write(tmp_path / "goals.html", html))
    [hit] = kb.search("how do I make a goal measurable", k=1)
    assert (hit.title, hit.section) == ("SMART goals", "Measurable")  # the page's h1 beats <title>
    assert "three talks" in hit.text and "- a deadline" in hit.text
    assert "tracking" not in hit.text and "Home | About" not in hit.text
    untitled = kb.add_bytes("untitled.html", b"<title>Goal guide</title><p>Goals need a deadline.</p>")
    assert [d.title for d in kb.list_documents() if d.doc_id == untitled.doc_id] == ["Goal guide"]


def test_pdf_passages_keep_their_page(kb, tmp_path):
    path = make_pdf(tmp_path / "policy.pdf", [
        ("Program structure", "The program runs for nine months. Each pair agrees on two goals in the "
                              "first month and reviews them at the midpoint."),
        ("Confidentiality", "Mentors keep what mentees tell them confidential. Coordinators only see "
                            "goals and meeting dates, never the notes of a session."),
    ])
    result = kb.add_file(path)
    assert result.status == "added"
    hit = kb.search("Do coordinators see the notes of our sessions?", k=1)[0]
    assert hit.page == 2 and "confidential" in hit.text
    assert kb.search("How long does the program run?", k=1)[0].page == 1


def test_docx_headings_and_title(kb, tmp_path):
    kb.add_file(make_docx(tmp_path / "feedback.docx"))
    hit = kb.search("How should I receive feedback?", k=1)[0]
    assert hit.title == "Feedback handbook"
    # Both sections are short, so they share one passage, labelled with both.
    assert hit.section == "Giving feedback; Receiving feedback" and "concrete example" in hit.text


def test_same_file_twice_adds_nothing(kb, tmp_path):
    path = write(tmp_path / "meetings.md", GUIDE_MD)
    first = kb.add_file(path)
    again = kb.add_file(path)
    copy = kb.add_bytes("copy-of-meetings.md", GUIDE_MD.encode())
    assert again.status == copy.status == "unchanged"
    assert again.doc_id == copy.doc_id == first.doc_id and again.chunks == first.chunks
    assert [d.chunks for d in kb.list_documents()] == [first.chunks]


def test_changed_file_replaces_its_old_passages(kb, tmp_path):
    first = kb.add_file(write(tmp_path / "meetings.md", GUIDE_MD))
    changed = GUIDE_MD.replace("every two weeks", "every week on Thursdays")
    second = kb.add_file(write(tmp_path / "meetings.md", changed))
    assert second.status == "replaced" and second.doc_id != first.doc_id
    [doc] = kb.list_documents()
    assert doc.doc_id == second.doc_id
    texts = " ".join(c.text for c in kb.search("How often do we meet?", k=5))
    assert "every week on Thursdays" in texts and "every two weeks" not in texts


def test_remove_by_doc_id(kb, tmp_path):
    keep = kb.add_file(make_docx(tmp_path / "feedback.docx"))
    gone = kb.add_file(write(tmp_path / "meetings.md", GUIDE_MD))
    assert kb.remove(gone.doc_id) is True
    assert kb.remove(gone.doc_id) is False
    assert [d.doc_id for d in kb.list_documents()] == [keep.doc_id]
    assert all(c.doc_id == keep.doc_id for c in kb.search("meeting cadence", k=5))


def encrypted_pdf(tmp_path: Path) -> bytes:
    reader = PdfReader(make_pdf(tmp_path / "plain.pdf", [("Secret", "Nothing to see here.")]))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt("s3cret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name, make, message", [
    ("empty.md", lambda tmp: b"", "empty"),
    ("blank.txt", lambda tmp: b"  \n\n \t", "empty"),
    ("image.txt", lambda tmp: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    ("huge.md", lambda tmp: b"# Big\n\n" + b"word " * 300_000, "limit is 1 MB"),
    ("locked.pdf", encrypted_pdf, "password"),
    ("broken.pdf", lambda tmp: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage", "damaged"),
    ("fake.pdf", lambda tmp: b"just some text that claims to be a PDF", "not a PDF"),
    ("sheet.xlsx", lambda tmp: b"PK\x03\x04 spreadsheet", "unsupported file type '.xlsx'"),
    ("noext", lambda tmp: b"some words", "unsupported file type"),
    ("broken.docx", lambda tmp: b"PK\x03\x04 not really a zip", "not a valid Word"),
    ("scan.pdf", lambda tmp: make_pdf(tmp / "empty.pdf", [("", "")]).read_bytes(), "no text found"),
])
def test_bad_input_gets_a_clear_error_and_changes_nothing(kb, tmp_path, name, make, message):
    kb.add_file(write(tmp_path / "meetings.md", GUIDE_MD))
    before = kb.list_documents()
    result = kb.add_bytes(name, make(tmp_path))
    assert result.status == "error" and message in result.error
    assert (result.doc_id, result.chunks) == ("", 0)
    assert kb.list_documents() == before


def test_oversize_file_is_refused_before_it_is_read(kb, tmp_path, monkeypatch):
    path = write(tmp_path / "huge.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("oversize file was read"))
    result = kb.add_file(path)
    assert result.status == "error" and "2.0 MB; the limit is 1 MB" in result.error


def test_a_batch_goes_on_after_bad_files(kb, tmp_path):
    folder = tmp_path / "upload"
    (folder / "sub").mkdir(parents=True)
    write(folder / "meetings.md", GUIDE_MD)
    write(folder / "empty.txt", b"")
    write(folder / "sub" / "broken.pdf", b"%PDF-1.4 broken")
    make_docx(folder / "sub" / "feedback.docx")
    write(folder / "notes.xyz", b"ignored: folders only contribute supported files")
    write(folder / ".hidden.md", b"# hidden")
    seen = []
    results = kb.add_paths([folder, tmp_path / "missing.md"], progress=lambda d, t, n: seen.append((d, t, n)))
    status = {r.source: r.status for r in results}
    assert status == {"meetings.md": "added", "empty.txt": "error", "broken.pdf": "error",
                      "feedback.docx": "added", "missing.md": "error"}
    assert [d for d, _, _ in seen] == [1, 2, 3, 4, 5] and {t for _, t, _ in seen} == {5}
    assert sorted(d.source for d in kb.list_documents()) == ["feedback.docx", "meetings.md"]


def test_failed_write_rolls_back_to_the_old_version(kb, tmp_path):
    first = kb.add_file(write(tmp_path / "meetings.md", GUIDE_MD))
    original_add = kb.store._add
    calls = []

    def add_failing_once(collection, records):
        calls.append(len(records))
        if len(calls) == 1:
            collection.add(ids=records.ids[:1], embeddings=records.embeddings[:1],
                           documents=records.documents[:1], metadatas=records.metadatas[:1])
            raise ConnectionError("Chroma went away mid-write")
        original_add(collection, records)

    kb.store._add = add_failing_once
    result = kb.add_file(write(tmp_path / "meetings.md", GUIDE_MD.replace("two weeks", "month")))
    assert result.status == "error" and "nothing was changed" in result.error
    [doc] = kb.list_documents()
    assert (doc.doc_id, doc.chunks) == (first.doc_id, first.chunks)
    assert "every two weeks" in kb.search("How often do we meet?", k=1)[0].text


def test_embedding_failure_writes_nothing(kb, tmp_path, monkeypatch):
    def broken(texts):
        raise TimeoutError("embedding server timed out")
    monkeypatch.setattr(kb.embedder, "encode", broken)
    monkeypatch.setattr(kb.embedder, "encode_with_tokens", broken)
    result = kb.add_bytes("meetings.md", GUIDE_MD.encode())
    assert result.status == "error" and "embedding model failed" in result.error
    assert kb.list_documents() == []


def test_ensure_defaults_only_on_an_empty_index(kb, tmp_path):
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    write(knowledge / "meetings.md", GUIDE_MD)
    make_docx(knowledge / "feedback.docx")
    first = kb.ensure_defaults()
    assert sorted((r.source, r.status) for r in first) == [("feedback.docx", "added"), ("meetings.md", "added")]
    assert kb.ensure_defaults() == []
    for doc in kb.list_documents():  # a coordinator empties the index on purpose...
        kb.remove(doc.doc_id)
    assert kb.ensure_defaults() == [] and kb.list_documents() == []  # ...and it stays empty
    assert kb.reindex() == 0 and kb.ensure_defaults() == []  # also after a reindex


def test_ensure_defaults_leaves_an_index_with_documents_alone(kb, tmp_path):
    (tmp_path / "knowledge").mkdir()
    write(tmp_path / "knowledge" / "meetings.md", GUIDE_MD)
    kb.add_file(make_docx(tmp_path / "feedback.docx"))
    assert kb.ensure_defaults() == []
    assert [d.source for d in kb.list_documents()] == ["feedback.docx"]


def test_ensure_defaults_without_a_knowledge_folder(kb):
    assert kb.ensure_defaults() == [] and kb.list_documents() == []


def test_utf16_text_and_markdown_code_blocks(kb, tmp_path):
    notepad = "Travel guide\n\nMentors may claim one train ticket per month for meetings.".encode("utf-16")
    assert kb.add_bytes("travel.txt", notepad).status == "added"
    markdown = "# Tools\n\n## Calendar\n\nBook meetings with:\n\n```\n# not a heading\nbook --weekly\n```\n"
    kb.add_bytes("tools.md", markdown.encode())
    titles = {d.source: d.title for d in kb.list_documents()}
    assert titles == {"travel.txt": "Travel guide", "tools.md": "Tools"}
    hit = kb.search("How do I book weekly meetings?", k=1)[0]
    assert hit.section == "Calendar" and "# not a heading" in hit.text


def test_a_document_making_too_many_passages_is_refused_before_any_embedding(kb, monkeypatch):
    import assistant.kb.index as index
    monkeypatch.setattr(index, "MAX_PASSAGES", 5)
    monkeypatch.setattr(kb, "_embed", lambda texts: pytest.fail("the passages were embedded"))
    before = kb.list_documents()
    data = "\n\n".join(f"Paragraph {n}: " + "mentoring word " * 60 for n in range(12)).encode()
    result = kb.add_bytes("long.txt", data)
    assert result.status == "error" and "the limit is 5 per document: split it into several files" in result.error
    assert kb.list_documents() == before
