"""Mentee: draft a SMART goal in conversation; the five criteria light up as they are met."""
import time

import streamlit as st

from assistant.coach.flow import criteria_status
from assistant.coach.types import GoalDraft
from assistant.ui.common import GOAL_CHAT, chat_box, recent, require_user, send, show_message

svc, user = require_user("mentee")
st.title("💬 Goal coach")

conv = svc.goal_conversation(user)
draft = GoalDraft.model_validate(conv.state or {})
chat_col, side = st.columns([3, 1])


def stream(text: str):
    # Word by word, so a long reply reads like the LLM streaming it does.
    for word in text.split(" "):
        yield word + " "
        time.sleep(0.005)


with chat_col:
    if not conv.messages:
        show_message("assistant", "Hi! What would you like to get better at, or achieve, in the next few months? "
                     "Tell me as much as you like: what, how you'll measure it, by when, what support you have "
                     "and why it matters.")
    for m in recent(conv.messages, "chat-all"):
        show_message(m.role, m.text, m.backend, m.citations)

with side:
    st.subheader("SMART check")
    if draft.stage == "saved":  # the next message starts a new draft: last goal's checks would mislead
        st.success("✅ Goal saved.")
        st.page_link("assistant/ui/my_goals.py", label="See it on My goals", icon="🎯")
        st.caption("Tell the coach about another goal to start the next one.")
    else:
        # Badges on one wrapping line, not five boxes: on a phone the panel sits under the chat
        # and five boxes pushed the coach's question out of view.
        st.markdown(" ".join(f":green-badge[✅ {name}]" if met else f":gray-badge[⬜ {name}]"
                             for name, met in criteria_status(draft).items()))
        if draft.stage == "confirming":
            st.caption("Ready to save: say “yes”.")
        st.caption("Say “skip” to leave a question out, “start over” to drop this draft and begin again, "
                   "or “quit” to pause (the draft is kept).")
    if notice := st.session_state.pop("chat_notice", None):
        st.warning(notice)

# No max_chars: the browser would drop a longer paste without a word; the service refuses it
# and says the limit, and send() puts the message back in the box to be shortened.
if prompt := chat_box("Tell the coach about your goal…", GOAL_CHAT):
    with chat_col:
        reply = send(prompt, lambda text: svc.chat(user, text), GOAL_CHAT)
        with st.chat_message("assistant"):
            st.write_stream(stream(reply.text))
        if reply.fallback_reason:  # kept for after the rerun, like the prep page's notices
            st.session_state["chat_notice"] = "The language model gave no usable answer this turn, so the offline coach did."
        if reply.goal:
            st.toast("Goal saved 🎯")
    st.rerun()
