"""Coordinator: how the program is doing, in aggregates only (no goal text, no chats)."""
import streamlit as st

from assistant.service.program import QUIET_DAYS
from assistant.ui.common import escape_md, require_user

svc, user = require_user("coordinator")
st.title("🗂️ Program overview")
st.caption("Counts only: coordinators don't see what goals or conversations say. "
           "Mentees and their mentors do.")
stats = svc.program_stats(user)

cols = st.columns(4)
cols[0].metric("Mentees", stats.people["mentee"])
cols[1].metric("Mentors", stats.people["mentor"])
cols[2].metric("Pairs", stats.pairs)
cols[3].metric("Mentees without a mentor", stats.unpaired_mentees)

cols = st.columns(4)
cols[0].metric("Goals", stats.goals)
cols[1].metric("Fully SMART", stats.fully_smart,
               help="All five criteria met: specific, measurable, achievable, relevant, time-bound.")
cols[2].metric("Share fully SMART", "—" if stats.smart_share is None else f"{stats.smart_share:.0%}")
cols[3].metric(f"Quiet pairs ({QUIET_DAYS}+ days)",
               "not tracked" if stats.quiet_pairs is None else stats.quiet_pairs,
               help=f"Nothing held in the last {QUIET_DAYS} days and nothing booked in the next {QUIET_DAYS}.")

cols = st.columns(4)
for col, status in zip(cols, ("draft", "active", "done", "dropped")):
    col.metric(f"Goals {status}", stats.goals_by_status.get(status, 0))

st.subheader("Meetings per pair")
if not stats.pair_activity:
    st.info("Nobody is paired yet. Pair mentors and mentees on the People page.")
    st.page_link("assistant/ui/people.py", label="Open People", icon="👥")
else:
    # st.table renders Markdown in its cells: names are escaped like any user text.
    st.table([{"mentor": escape_md(a.mentor), "mentee": escape_md(a.mentee),
                   "meetings held": "not tracked" if a.meetings is None else str(a.meetings),
                   "last meeting": f"{a.last_meeting:%d %b %Y}" if a.last_meeting else "—",
                   "next meeting": f"{a.next_meeting:%d %b %Y}" if a.next_meeting else "—",
                   f"quiet {QUIET_DAYS}+ days": "—" if a.quiet is None else ("yes" if a.quiet else "no")}
                  for a in stats.pair_activity], hide_index=True)

st.subheader("Language model usage")
if stats.llm is None or stats.llm.calls == 0:
    st.caption("No language-model calls yet: the coach has answered offline (rules and templates).")
else:
    cols = st.columns(4)
    cols[0].metric("Calls", stats.llm.calls)
    cols[1].metric("Tokens sent", stats.llm.prompt_tokens)
    cols[2].metric("Tokens received", stats.llm.completion_tokens)
    per_turn = stats.llm.latency_ms / stats.llm.turns if stats.llm.turns else 0
    cols[3].metric("Avg. latency per turn", f"{per_turn / 1000:.1f} s")
if stats.inactive:
    st.caption(f"{stats.inactive} deactivated account{'' if stats.inactive == 1 else 's'} not counted above.")
