"""Curly apostrophes and quotes read like straight ones, in the goal chat as in the prep chat."""
from __future__ import annotations

from datetime import date

import pytest
from meeting_fixtures import context

from assistant.coach.flow import advance
from assistant.coach.offline import understand
from assistant.coach.prep import start_prep
from assistant.coach.prep_rules import understand as understand_prep
from assistant.coach.text import plain
from assistant.coach.types import GoalDraft

TODAY = date(2026, 11, 23)


def test_plain_straightens_quotes_and_folds_white_space():
    text = "  I don\u2019t know,\n\u2018maybe\u2019   \u201cthree talks\u201d "
    assert plain(text) == "I don't know, 'maybe' \"three talks\""


def converse(lines: list[str]) -> tuple[GoalDraft, list]:
    draft, steps = GoalDraft(), []
    for line in lines:
        draft, step = advance(draft, understand(line, draft, draft.asked, TODAY), TODAY)
        steps.append(step)
    return draft, steps


@pytest.mark.parametrize("straight", ["that's fine as is", "no, that's it", "I don't know", "I'll keep it"])
def test_the_goal_chat_reads_curly_apostrophes_like_straight_ones(straight):
    curly = straight.replace("'", "\u2019")
    wish = "I want to get better at public speaking"
    assert converse([wish, curly]) == converse([wish, straight])
    draft, steps = converse([wish, curly])
    assert draft.settled == ["what"] and steps[-1].slot == "measure"


def test_the_goal_chat_keeps_a_quoted_title_with_straight_quotes():
    curly, _ = converse(["Give my talk \u201cTesting at scale\u201d at 2 meetups by June 2027"])
    straight, _ = converse(['Give my talk "Testing at scale" at 2 meetups by June 2027'])
    assert curly == straight and '"Testing at scale"' in curly.what


def test_the_prep_chat_still_reads_them_too():
    draft, _ = start_prep(context())
    assert understand_prep("That\u2019s all", draft, "wins").intent == "finish"
    assert understand_prep("I\u2019d like to ask \u201chow do I get on the committee?\u201d", draft,
                           "questions").questions == ["I'd like to ask \"how do I get on the committee?\""]


def test_a_tip_is_cut_after_a_sentence_and_never_mid_markup():
    from assistant.coach.templates import _snippet
    passage = ("A goal is achievable when you can reach it in the time you have. The best goals feel like "
               "a stretch, roughly a 70% chance of success, but not a fantasy. To check, ask: - **Time**: "
               "how many hours a week will you give it? - **Support**: who helps?")
    assert _snippet(passage, 200) == ("A goal is achievable when you can reach it in the time you have. The best "
                                      "goals feel like a stretch, roughly a 70% chance of success, but not a fantasy. …")
    no_stop = "word " * 30 + "- **Why it matters** and more"
    cut = _snippet(no_stop, 157)
    assert cut.endswith("word…") and "**" not in cut and not cut.rstrip("…").endswith("-")
    assert _snippet("Short tip.", 260) == "Short tip."


def test_a_tip_never_ends_on_the_introduction_of_a_cut_list():
    from assistant.coach.templates import _snippet
    passage = ("Feedback works best when it is specific and timely. Mentors should ask before giving it. "
               "Some tips: - **Be concrete**: name the moment. - **Be kind**: start with what worked, "
               "then say what to change next time, and ask how it landed.")
    cut = _snippet(passage, 120)
    assert cut == "Feedback works best when it is specific and timely. Mentors should ask before giving it. …"


def test_an_answer_quotes_the_start_of_a_long_section_when_both_parts_were_found():
    from assistant.coach.templates import answer_question
    from assistant.models import Citation

    def part(text: str, score: float) -> Citation:
        return Citation(doc_id="d1", source="04-meetings.md", title="Mentoring Meetings",
                        section="How often to meet", text=text, score=score)
    tail = part("- **Never more than four weeks apart.** Beyond that, momentum is lost.", 0.83)
    start = part("How often to meet\n\nPairs meet **every two weeks**, about 12 meetings in six months.", 0.79)
    assert "every two weeks" in answer_question("How often should we meet?", [tail, start])
    assert "four weeks" in answer_question("How often should we meet?", [tail])  # only what was found
