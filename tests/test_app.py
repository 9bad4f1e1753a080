"""The real app.py under Streamlit's AppTest: a mentee drafts a goal, the mentor sees it."""
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from login_support import PASSWORD, login

from assistant.config import Settings
from assistant.deps import build_deps
from assistant.service import SYSTEM, Service

LINES = ["I want to get better at public speaking",
         "Give 3 talks at our team all-hands meeting",
         "by the end of March 2027",
         "My manager gives me an hour a week to prepare",
         "I want to lead the team one day",
         "yes"]


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("WAYPOINT_HOME", str(tmp_path / "home"))
    # One guideline instead of the whole library keeps each test's first index small.
    guides = tmp_path / "guides"
    guides.mkdir()
    (guides / "03-smart-goals.md").write_text(
        (Path(__file__).resolve().parents[1] / "knowledge" / "03-smart-goals.md").read_text())
    monkeypatch.setenv("WAYPOINT_KNOWLEDGE_DIR", str(guides))
    svc = Service(build_deps(Settings()))
    svc.create_account(SYSTEM, "maria", "mentor", PASSWORD, must_change=False)
    svc.create_account(SYSTEM, "alex", "mentee", PASSWORD, mentor="maria", must_change=False)
    svc.create_account(SYSTEM, "sam", "mentee", PASSWORD, must_change=False)
    return tmp_path / "home"


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.text] + [s.value for s in at.success] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_drafting_conversation_saves_a_goal_the_mentor_sees(home):
    at = login("alex")
    assert at.chat_input, "the mentee lands on the chat page"
    for line in LINES:
        at.chat_input[0].set_value(line).run()
        assert not at.exception, at.exception
    text = all_text(at)
    assert "Saved" in text
    # Once saved, the panel stops showing the old draft's checks: the next message starts anew.
    assert [s.value for s in at.success] == ["Goal saved."]  # AppTest drops the leading emoji
    # The SMART panel shows all five criteria met while the goal was confirmed.
    mentor = login("maria")
    assert "3 talks" in all_text(mentor).lower() or "3 talks" in all_text(mentor)
    assert "2027-03-31" in all_text(mentor) or "31 Mar 2027" in all_text(mentor)


def criteria_met(at: AppTest) -> list[str]:
    badges = " ".join(m.value for m in at.markdown if "-badge[" in m.value)
    return re.findall(r":green-badge\[✅ ([\w-]+)\]", badges)


def test_criteria_turn_green_as_they_are_met(home):
    at = login("sam")
    assert criteria_met(at) == []
    at.chat_input[0].set_value("Give 2 talks at the engineering guild by April 2027").run()
    met = criteria_met(at)
    assert "Specific" in met and "Time-bound" in met
    assert "Relevant" not in met, met


def test_draft_survives_a_new_session(home):
    at = login("sam")
    at.chat_input[0].set_value("Shadow the sales team on 4 client calls").run()
    again = login("sam")  # a reload: a fresh session, same data folder
    assert "Shadow the sales team" in all_text(again)


def test_mentor_without_mentees_and_unpaired_goals_hidden(home):
    at = login("maria")
    assert "hasn't saved a goal" in all_text(at) or "alex" in all_text(at)
    assert "sam" not in [o for sb in at.selectbox for o in sb.options]


def test_coordinator_guidelines_page_lists_documents_and_searches(home):
    svc = Service(build_deps(Settings()))
    svc.create_account(SYSTEM, "casey", "coordinator", PASSWORD, must_change=False)
    at = login("casey")
    at.switch_page("assistant/ui/knowledge.py").run()
    assert any("Program guidelines" in t.value for t in at.title), [t.value for t in at.title]
    assert "SMART Goals Guide" in all_text(at) or "03-smart-goals.md" in all_text(at)
    at.text_input(key="kb_query").input("How do I make a goal measurable?").run()
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    assert any("SMART" in label for label in labels), labels
    at.text_input(key="kb_query").input("What is the boiling point of mercury?").run()
    assert any("don't seem to cover" in w.value for w in at.warning)


def test_a_refused_chat_message_stays_on_screen_with_the_reason(home):
    at = login("sam")
    at.chat_input[0].set_value("   ").run()  # blank: the service says why it takes nothing
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Type a message first\\."], "the reason isn't wiped by a rerun"
    assert not at.chat_message or at.chat_message[-1].name == "assistant", "no empty bubble for a blank message"
    # No max_chars in the box (the browser would drop a longer paste silently): the service says the
    # limit and the pasted text goes back into the box to be shortened.
    assert not at.chat_input[0].proto.max_chars
    pasted = "I want to present at all-hands. " * 70
    at.chat_input[0].set_value(pasted).run()
    assert any("too long" in e.value and "back in the box" in e.value for e in at.error), [e.value for e in at.error]
    assert at.chat_input[0].proto.value == pasted and at.chat_input[0].proto.set_value
    assert not at.chat_message or at.chat_message[-1].name == "assistant", "nothing half-sent in the chat"


def coordinator_on(page: str) -> AppTest:
    svc = Service(build_deps(Settings()))
    svc.create_account(SYSTEM, "casey", "coordinator", PASSWORD, must_change=False)
    at = login("casey")
    at.switch_page(f"assistant/ui/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_removing_a_guideline_asks_first_and_says_what_went(home):
    at = coordinator_on("knowledge")
    svc = Service(build_deps(Settings()))
    [doc] = svc.kb_documents(svc.user("casey"))
    at.button(key="FormSubmitter:upload-Add to guidelines").click().run()  # nothing chosen yet
    assert any("Choose one or more files" in w.value for w in at.warning)
    confirm = at.button(key=f"rm-{doc.doc_id}")
    assert confirm.label == "Yes, remove", "the Remove button only opens the question"
    confirm.click().run()
    assert not at.exception, at.exception
    assert svc.kb_documents(svc.user("casey")) == []
    assert any("Removed SMART Goals Guide" in s.value for s in at.success), [s.value for s in at.success]


def test_people_page_keeps_a_refused_entry_and_asks_before_deactivating(home):
    at = coordinator_on("people")
    at.text_input(key="new_name").input("lee")
    at.text_input(key="new_display").input("Lee Park")
    at.text_input(key="new_password").input("short")
    at.button(key="FormSubmitter:add_person-Add").click().run()
    assert any("at least" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_input(key="new_name").value == "lee", "a refused entry is not wiped"
    at.text_input(key="new_password").input("lee's first pass 1")
    at.button(key="FormSubmitter:add_person-Add").click().run()
    assert not at.error and at.text_input(key="new_name").value == "", "added: the form is empty again"
    assert any(t.value == "🌱 Lee Park (lee)" for t in at.text) and any(t.value == "🌱 sam" for t in at.text)
    at.button(key="FormSubmitter:reset_password-Reset").click().run()
    assert any("Choose whose password" in e.value for e in at.error)
    deactivate = at.button(key="deactivate-lee")
    assert deactivate.label == "Yes, deactivate"
    deactivate.click().run()
    svc = Service(build_deps(Settings()))
    assert not svc.user("lee").active
    program = at.switch_page("assistant/ui/program.py").run()
    assert "1 deactivated account not counted above." in [c.value for c in program.caption]


def test_mentee_edits_a_saved_goal_and_keeps_milestones_on_my_goals(home):
    from datetime import date

    from assistant.models import Goal
    svc = Service(build_deps(Settings()))
    goal = svc.deps.store.save_goal(Goal(owner="alex", title="Give 3 talks", deadline=date(2027, 3, 31),
                                         statement="Give 3 talks at all-hands by March 2027"), by="alex")
    at = login("alex")
    at.switch_page("assistant/ui/my_goals.py").run()
    at.text_input(key=f"edit-{goal.id}-statement").input("Give 3 talks at all-hands by May 2027")
    at.slider(key=f"edit-{goal.id}-progress").set_value(40)
    at.button(key=f"FormSubmitter:edit-{goal.id}-Save changes").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = svc.goal(svc.user("alex"), goal.id)
    assert (saved.statement, saved.progress) == ("Give 3 talks at all-hands by May 2027", 40)
    assert saved.history[-1].note == "edited: statement, progress 40%"
    # A milestone after the deadline is refused and what was typed stays for correcting.
    at.text_input(key=f"ms-title-{goal.id}-0").input("Dry run with Maria")
    at.date_input(key=f"ms-due-{goal.id}-0").set_value(date(2027, 6, 1))
    at.button(key=f"FormSubmitter:ms-add-{goal.id}-Add").click().run()
    assert any("on or before the goal's deadline" in e.value for e in at.error), [e.value for e in at.error]
    assert at.text_input(key=f"ms-title-{goal.id}-0").value == "Dry run with Maria"
    at.date_input(key=f"ms-due-{goal.id}-0").set_value(date(2027, 1, 15))
    at.button(key=f"FormSubmitter:ms-add-{goal.id}-Add").click().run()
    assert not at.error and at.text_input(key=f"ms-title-{goal.id}-1").value == "", "added: the fields are empty"
    at.checkbox(key=f"ms-{goal.id}-0-False").check().run()
    assert not at.exception, at.exception
    [milestone] = svc.goal(svc.user("alex"), goal.id).milestones
    assert (milestone.title, milestone.due, milestone.done) == ("Dry run with Maria", date(2027, 1, 15), True)


def test_a_long_chat_draws_its_recent_messages_and_the_rest_on_demand(home):
    from assistant.models import Message
    from assistant.ui.common import RECENT_MESSAGES
    svc = Service(build_deps(Settings()))
    conv = svc.deps.store.open_conversation("alex", "goal")
    conv.messages += [Message(role="user" if i % 2 == 0 else "assistant", text=f"message number {i}") for i in range(40)]
    svc.deps.store.save_conversation(conv)
    at = login("alex")
    assert len(at.chat_message) == RECENT_MESSAGES and "message number 39" in all_text(at)
    assert "message number 9" not in all_text(at) and "message number 10" in all_text(at)
    at.button(key="chat-all-button").click().run()
    assert not at.exception, at.exception
    assert len(at.chat_message) == 40 and "message number 0" in all_text(at)


def test_a_page_opened_signed_out_asks_to_sign_in(home):
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("assistant/ui/my_goals.py").run()  # an old link or a bookmark
    assert not at.exception, at.exception
    assert at.text_input(key="login_name") is not None and not at.get("download_button")


def test_an_unpaired_mentee_is_told_to_wait_for_a_mentor_on_the_prep_page(home):
    at = login("sam")  # no mentor yet
    at.switch_page("assistant/ui/prep.py").run()
    assert not at.exception, at.exception
    assert any("don't have a mentor yet" in i.value for i in at.info) and not at.chat_input


def test_an_edit_form_left_open_in_another_tab_keeps_what_was_saved_meanwhile(home):
    """Two tabs on My goals: B saves progress 50%, then A (opened before) changes only why the
    goal matters. Progress stays 50% and A's form then shows the goal as saved."""
    from datetime import date

    from assistant.models import Goal
    svc = Service(build_deps(Settings()))
    goal = svc.deps.store.save_goal(Goal(owner="alex", title="Give 3 talks", deadline=date(2027, 3, 31),
                                         statement="Give 3 talks at all-hands by March 2027", progress=25), by="alex")
    tab_a, tab_b = login("alex"), login("alex")
    for tab in (tab_a, tab_b):
        tab.switch_page("assistant/ui/my_goals.py").run()
    tab_b.slider(key=f"edit-{goal.id}-progress").set_value(50)
    tab_b.button(key=f"FormSubmitter:edit-{goal.id}-Save changes").click().run()
    tab_a.text_input(key=f"edit-{goal.id}-relevance").input("For the team lead role")
    tab_a.button(key=f"FormSubmitter:edit-{goal.id}-Save changes").click().run()
    assert not tab_a.error, [e.value for e in tab_a.error]
    saved = svc.goal(svc.user("alex"), goal.id)
    assert (saved.progress, saved.relevance) == (50, "For the team lead role")
    assert tab_a.slider(key=f"edit-{goal.id}-progress").value == 50
