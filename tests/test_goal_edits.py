"""A mentee changes a saved goal: fields, status, progress and milestones, each a new version."""
from __future__ import annotations

from datetime import date

import pytest

from assistant.service import AccessDenied, NotFound
from meetings_support import svc, who  # noqa: F401  (fixture)


def alex_goal(svc):  # noqa: F811
    return svc.goals(who(svc, "alex"))[0]


def test_edit_keeps_the_old_version_with_who_and_what(svc):  # noqa: F811
    goal = alex_goal(svc)
    edited = svc.edit_goal(who(svc, "alex"), goal.id, statement="Give 3 talks at all-hands by May 2027",
                           deadline=date(2027, 5, 31), progress=30)
    assert edited.statement.endswith("May 2027") and edited.deadline == date(2027, 5, 31)
    last = edited.history[-1]
    assert last.by == "alex" and last.note == "edited: statement, deadline 2027-05-31, progress 30%"
    assert last.snapshot["statement"] == goal.statement and last.snapshot["deadline"] == "2027-03-31"
    # the mentor's chart gets the new progress
    assert [p.progress for p in svc.deps.store.progress_history([goal.id])[goal.id]] == [30]


def test_an_edit_that_changes_nothing_adds_no_version(svc):  # noqa: F811
    goal = alex_goal(svc)
    same = svc.edit_goal(who(svc, "alex"), goal.id, title=goal.title, progress=goal.progress)
    assert len(same.history) == len(goal.history)


def test_marking_done_sets_progress_to_100(svc):  # noqa: F811
    goal = svc.edit_goal(who(svc, "alex"), alex_goal(svc).id, status="done")
    assert (goal.status, goal.progress) == ("done", 100)


@pytest.mark.parametrize("changes,message", [
    ({"statement": "   "}, "The goal sentence can't be empty"),
    ({"title": ""}, "The short title can't be empty"),
    ({"progress": 120}, "progress"),
    ({"status": "draft"}, "status must be one of active, done, dropped"),
    ({"deadline": date(2026, 11, 1)}, "can't be in the past"),
    ({"owner": "sam"}, "no field owner"),
])
def test_bad_edits_are_refused_with_a_reason_and_change_nothing(svc, changes, message):  # noqa: F811
    goal = alex_goal(svc)
    with pytest.raises(ValueError, match=message):
        svc.edit_goal(who(svc, "alex"), goal.id, **changes)
    assert svc.goal(who(svc, "alex"), goal.id) == goal


def test_milestones_are_added_in_date_order_ticked_and_removed(svc):  # noqa: F811
    alex, goal = who(svc, "alex"), alex_goal(svc)
    goal = svc.add_milestone(alex, goal.id, "Dry run with Maria", date(2027, 1, 15))
    assert [m.title for m in goal.milestones] == ["Dry run with Maria", "Write the first outline", "Book a slot"]
    goal = svc.set_milestone_done(alex, goal.id, 0)
    assert goal.milestones[0].done and goal.history[-1].note == "milestone done: Dry run with Maria"
    goal = svc.set_milestone_done(alex, goal.id, 0, done=False)
    assert not goal.milestones[0].done
    goal = svc.remove_milestone(alex, goal.id, 2)
    assert [m.title for m in goal.milestones] == ["Dry run with Maria", "Write the first outline"]
    assert goal.history[-1].snapshot["milestones"][2]["title"] == "Book a slot"  # kept in the history


def test_milestone_dates_fit_the_goal_and_bad_indexes_are_not_found(svc):  # noqa: F811
    alex, goal = who(svc, "alex"), alex_goal(svc)
    with pytest.raises(ValueError, match="on or before the goal's deadline"):
        svc.add_milestone(alex, goal.id, "Too late", date(2027, 4, 30))
    with pytest.raises(ValueError, match="title"):
        svc.add_milestone(alex, goal.id, "  ")
    with pytest.raises(NotFound):
        svc.set_milestone_done(alex, goal.id, 7)
    assert svc.goal(alex, goal.id) == goal


def test_only_the_owner_edits(svc):  # noqa: F811
    goal = alex_goal(svc)
    for name in ("maria", "sam", "cora"):  # his mentor reads but doesn't write
        with pytest.raises(AccessDenied):
            svc.edit_goal(who(svc, name), goal.id, progress=50)
    assert svc.goal(who(svc, "maria"), goal.id).progress == goal.progress


def test_a_new_deadline_is_written_into_the_goal_sentence(svc):  # noqa: F811
    goal = svc.edit_goal(who(svc, "alex"), alex_goal(svc).id, deadline=date(2027, 4, 15))
    assert goal.statement == "Give 3 talks at all-hands by April 15, 2027."
    assert goal.history[-1].note == "edited: deadline 2027-04-15, statement"


def test_a_title_naming_the_deadline_follows_it_and_one_without_is_left_alone(svc):  # noqa: F811
    alex, goal = who(svc, "alex"), alex_goal(svc)
    titled = svc.edit_goal(alex, goal.id, title="Give 3 talks by March 2027")
    moved = svc.edit_goal(alex, goal.id, deadline=date(2027, 5, 31))
    assert moved.title == "Give 3 talks by May 31, 2027" and titled.title != moved.title
    plain = svc.edit_goal(alex, goal.id, title="Give 3 talks")
    assert svc.edit_goal(alex, goal.id, deadline=date(2027, 6, 30)).title == plain.title == "Give 3 talks"
    both = svc.edit_goal(alex, goal.id, title="Talks by July 2027", deadline=date(2027, 7, 31))
    assert both.title == "Talks by July 2027", "a title typed in the same edit is kept as typed"


def test_done_is_100_percent_whatever_the_slider_said(svc):  # noqa: F811
    goal = svc.edit_goal(who(svc, "alex"), alex_goal(svc).id, status="done", progress=30)
    assert (goal.status, goal.progress) == ("done", 100)


def test_a_form_left_open_in_another_tab_saves_only_what_was_changed_in_it(svc):  # noqa: F811
    """Tab B saves progress 50; tab A, opened before, changes only "why it matters": progress
    stays 50 (it used to go back to what tab A showed, without a word)."""
    alex, goal = who(svc, "alex"), alex_goal(svc)
    shown = {name: getattr(goal, name) for name in ("title", "relevance", "progress", "deadline")}
    svc.edit_goal(alex, goal.id, seen=shown, **{**shown, "progress": 50})  # tab B
    edited = svc.edit_goal(alex, goal.id, seen=shown, **{**shown, "relevance": "For the lead role"})  # tab A
    assert (edited.progress, edited.relevance) == (50, "For the lead role")
    assert edited.history[-1].note == "edited: relevance"


def test_a_field_changed_in_both_tabs_is_refused_not_overwritten(svc):  # noqa: F811
    alex, goal = who(svc, "alex"), alex_goal(svc)
    shown = {"progress": goal.progress, "title": goal.title}
    svc.edit_goal(alex, goal.id, seen=shown, **{**shown, "progress": 50})
    with pytest.raises(ValueError, match="The progress changed in another window.*nothing was saved"):
        svc.edit_goal(alex, goal.id, seen=shown, **{**shown, "progress": 20, "title": "Talks"})
    assert (svc.goal(alex, goal.id).progress, svc.goal(alex, goal.id).title) == (50, goal.title)
    # the same value typed in both is no clash
    assert svc.edit_goal(alex, goal.id, seen=shown, progress=50).progress == 50


def test_a_milestone_is_found_by_the_title_the_page_showed_when_the_list_moved(svc):  # noqa: F811
    """Tab B shows "Book a slot" 2nd; tab A adds a milestone that sorts first. Ticking or removing
    in tab B acts on "Book a slot", not on whatever is 2nd now."""
    alex, goal = who(svc, "alex"), alex_goal(svc)
    assert [m.title for m in goal.milestones] == ["Write the first outline", "Book a slot"]
    svc.add_milestone(alex, goal.id, "Dry run with Maria", date(2027, 1, 15))  # tab A: sorts before the undated
    moved = svc.set_milestone_done(alex, goal.id, 1, True, title="Book a slot")
    assert {m.title: m.done for m in moved.milestones} == {
        "Dry run with Maria": False, "Write the first outline": False, "Book a slot": True}
    left = svc.remove_milestone(alex, goal.id, 1, title="Book a slot")
    assert [m.title for m in left.milestones] == ["Dry run with Maria", "Write the first outline"]
    with pytest.raises(ValueError, match="isn't where this page showed it"):
        svc.remove_milestone(alex, goal.id, 0, title="Book a slot")  # gone meanwhile: nothing removed
    assert len(svc.goal(alex, goal.id).milestones) == 2
