"""Coordinator: keep the program's guidelines current (upload, replace, remove, try a search)."""
import streamlit as st

from assistant.clock import show
from assistant.kb import SUPPORTED, KBError
from assistant.ui.common import close_popover, confirm_button, escape_md, flash, keyed_popover, require_user

svc, user = require_user("coordinator")
TYPES = [ext.lstrip(".") for ext in SUPPORTED]
st.title("📚 Program guidelines")
st.caption("The coach cites these documents when it gives advice. Uploading a file with the same name "
           "as an existing document replaces it.")


def passages(n: int) -> str:
    return f"{n} passage{'' if n == 1 else 's'}"


def done(message: str) -> None:
    """Rerun to show the new list, with `message` (Markdown we compose) above it."""
    st.session_state["kb_flash"] = message
    st.rerun()


with st.form("upload", clear_on_submit=True):
    # No `type=` filter: the browser's refusal names MIME types ("application/vnd.openxml…"); ours
    # names the file and the types that work, and the rest of the batch still goes in.
    files = st.file_uploader("Add or replace documents", accept_multiple_files=True, key="uploads",
                             help=f"Markdown, text, HTML, PDF or Word ({', '.join(TYPES)}), "
                                  f"up to {svc.deps.settings.max_upload_mb} MB each.",
                             # the browser refuses bigger files; kb_upload checks again on the server
                             max_upload_size=svc.deps.settings.max_upload_mb)
    submitted = st.form_submit_button("Add to guidelines", type="primary")
flash("kb_flash")
if submitted and not files:
    st.warning("Choose one or more files first (Upload, or drop them on the box).")
if submitted and files:
    bar = st.progress(0.0, text="Reading…")
    for i, f in enumerate(files, start=1):
        bar.progress(i / len(files), text=f"{i}/{len(files)}: {f.name}")
        result = svc.kb_upload(user, f.name, f.getvalue())
        if result.status == "error":
            st.error(escape_md(f"{f.name}: {result.error}"))
        elif result.status == "unchanged":
            st.info(f"{escape_md(f.name)}: already in the guidelines, nothing changed.")
        else:
            st.success(f"{escape_md(f.name)}: {result.status}, {passages(result.chunks)}.")
    bar.empty()

try:
    docs = svc.kb_documents(user)
except KBError as exc:
    st.error(escape_md(str(exc)))
    st.stop()
st.subheader(f"Documents ({len(docs)})")
if not docs:
    st.info("No guidelines yet. Upload Markdown, text, HTML, PDF or Word files.")
for doc in docs:
    with st.container(border=True):  # one box per document, so its buttons stay with it on a phone
        cols = st.columns([4, 3, 2.6], vertical_alignment="center")
        cols[0].markdown(f"**{escape_md(doc.title)}**  \n{escape_md(doc.source)}")
        added = show(doc.added_at, svc.deps.settings.tz, '%d %b %Y %H:%M')  # the program's clock
        cols[1].text(f"{passages(doc.chunks)}\nadded {added}")
        buttons = cols[2].container(horizontal=True)  # side by side, each as wide as its label
        with keyed_popover("Replace", f"replace-open-{doc.doc_id}", where=buttons):
            new_file = st.file_uploader("New version", key=f"replace-{doc.doc_id}",
                                        max_upload_size=svc.deps.settings.max_upload_mb)
            if new_file is not None and st.button("Replace", key=f"do-replace-{doc.doc_id}", type="primary"):
                result = svc.kb_replace(user, doc.doc_id, new_file.name, new_file.getvalue())
                if result.status == "error":
                    st.error(escape_md(f"{new_file.name}: {result.error.rstrip('.')}. The old version stays."))
                else:
                    close_popover(f"replace-open-{doc.doc_id}")
                    done(f"{escape_md(doc.title)}: that file is the version already in, nothing changed."
                         if result.status == "unchanged" else
                         f"{escape_md(doc.title)}: replaced by {escape_md(new_file.name)}, {passages(result.chunks)}.")
        if confirm_button("Remove", f"Remove **{escape_md(doc.title)}**? The coach stops citing it; "
                          "upload the file again to bring it back.", key=f"rm-{doc.doc_id}", where=buttons):
            svc.kb_remove(user, doc.doc_id)
            done(f"Removed {escape_md(doc.title)} ({escape_md(doc.source)}).")

st.subheader("Try a search")
query = st.text_input("Question", placeholder="How often should mentors and mentees meet?", key="kb_query")
if query:
    hits = svc.kb_search(user, query, k=5)
    if not hits or hits[0].score < svc.deps.settings.kb_min_score:
        st.warning("The guidelines don't seem to cover that (no passage scores above the threshold).")
        if hits:
            st.caption("The closest passages anyway (the coach wouldn't cite these):")
    else:
        st.caption(f"Best match first; the number is how close a passage is (the coach cites "
                   f"{svc.deps.settings.kb_min_score:.2f} and up).")
    for hit in hits:
        with st.expander(f"{hit.score:.3f} · {escape_md(hit.label())}"):  # 3 places: 0.499 isn't cited at 0.50
            st.text(hit.text)
