"""Agenda as PDF with fpdf2.

By default a core font (Helvetica), which only knows Latin-1: text is
sanitised first (smart quotes and dashes to ASCII, accents outside Latin-1
stripped, emoji dropped, other scripts shown as '?') so no input can crash the
export. Pass `font_path` to a Unicode TTF (e.g. DejaVuSans.ttf) to keep names
in any script the font covers; reading that file is the caller's choice.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from assistant.clock import UTC, show
from assistant.meeting_models import Agenda, Meeting

_ASCII = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u2022": "-", "\u2192": "->", "\u2190": "<-", "\u2264": "<=", "\u2265": ">=",
    "\u20ac": "EUR", "\u2122": "(TM)", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u200b": "",
    "\u0141": "L", "\u0142": "l", "\u0110": "D", "\u0111": "d", "\u0152": "OE", "\u0153": "oe", "\u0131": "i",
})


def to_latin1(text: str) -> str:
    """Text a core PDF font can draw: same meaning where possible, never an encoding error."""
    out = []
    for ch in text.translate(_ASCII):
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and all(ord(c) < 256 for c in base):
            out.append(base)  # ő -> o, ș -> s
        elif unicodedata.category(ch) in ("So", "Sk", "Cs", "Mn", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F:
            continue  # emoji, variation selectors, joiners: drop rather than litter '?'
        else:
            out.append("?")
    return "".join(out)


class _AgendaPDF(FPDF):
    def __init__(self, font_path: Path | None):
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self._unicode = font_path is not None
        if self._unicode:
            for style in ("", "B", "I"):  # one file for all styles: a heading stays readable without a bold cut
                self.add_font("Body", style, str(font_path))
            self._family = "Body"
        else:
            self._family = "Helvetica"

    def clean(self, text: str) -> str:
        return text if self._unicode else to_latin1(text)

    def para(self, text: str, size: float = 10, style: str = "", indent: float = 0, gap: float = 1.5) -> None:
        self.set_font(self._family, style, size)
        self.set_x(self.l_margin + indent)
        # fpdf2 breaks a word wider than the page (a long URL) by itself, so WORD mode is safe.
        self.multi_cell(0, size * 0.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    def heading(self, text: str) -> None:
        self.ln(2)
        self.para(text, size=13, style="B", gap=1)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self._family, "I", 8)
        self.cell(0, 5, f"Waypoint agenda - page {self.page_no()}", align="C")


def _items(pdf: _AgendaPDF, agenda: Agenda) -> None:
    pdf.heading("Items")
    for n, item in enumerate(agenda.items, 1):
        pdf.para(f"{n}. {item.topic}  ({item.minutes} min, {item.owner})", style="B", gap=0.5)
        for d in item.details:
            pdf.para(f"- {d}", indent=6, gap=0.5)
        pdf.ln(1)


def _sections(pdf: _AgendaPDF, agenda: Agenda) -> None:
    if agenda.progress:
        pdf.heading("Progress on goals")
        for p in agenda.progress:
            done = f"; milestones done: {', '.join(p.milestones_done)}" if p.milestones_done else ""
            note = f" - {p.note}" if p.note else ""
            pdf.para(f"- {p.goal_title}: {p.progress_before}% -> {p.progress_after}%{done}{note}")
    for title, values in (("What the mentee most wants from this meeting", agenda.wants),
                          ("Wins", agenda.wins), ("Blockers", agenda.blockers),
                          ("Questions for the mentor", agenda.questions), ("Prework", agenda.prework)):
        if values:
            pdf.heading(title)
            for v in values:
                pdf.para(f"- {v}")
    if agenda.open_actions:
        pdf.heading("Action items from last time")
        for a in agenda.open_actions:
            due = f", due {a.due:%d %b %Y}" if a.due else ""
            pdf.para(f"[{'x' if a.status == 'done' else ' '}] {a.text} ({a.owner}{due})")


def agenda_pdf(agenda: Agenda, meeting: Meeting | None = None, font_path: Path | str | None = None,
               tz: ZoneInfo = UTC) -> bytes:
    """The agenda as an A4 PDF; deterministic for the same agenda (dates come from the agenda)."""
    pdf = _AgendaPDF(Path(font_path) if font_path else None)
    pdf.set_creation_date(agenda.created_at)
    pdf.set_title(pdf.clean(f"Meeting agenda v{agenda.version}"))
    pdf.set_creator("Waypoint")
    pdf.add_page()
    if meeting is not None:
        pdf.para(f"Mentoring: {meeting.mentee} & {meeting.mentor}", size=16, style="B")
        status = "" if meeting.status == "scheduled" else f" ({meeting.status})"
        pdf.para(f"{show(meeting.starts_at, tz, '%Y-%m-%d %H:%M')}, {meeting.minutes} min{status}", size=11)
    pdf.para(f"Meeting agenda (version {agenda.version}), {agenda.meeting_minutes} min", size=12, style="B")
    _items(pdf, agenda)
    _sections(pdf, agenda)
    return bytes(pdf.output())
