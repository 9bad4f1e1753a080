"""Coordinator: keep the program's guidelines current (upload, replace, remove, try a search)."""
import streamlit as st

from assistant.kb import SUPPORTED, KBError
from assistant.ui.common import escape_md, require_user

svc, user = require_user()
st.title("📚 Program guidelines")
st.caption("The coach cites these documents when it gives advice. Uploading a file with the same name "
           "as an existing document replaces it.")

with st.form("upload", clear_on_submit=True):
    files = st.file_uploader("Add or replace documents", accept_multiple_files=True,
                             type=[ext.lstrip(".") for ext in SUPPORTED], key="uploads",
                             # the browser refuses bigger files; kb_upload checks again on the server
                             max_upload_size=svc.deps.settings.max_upload_mb)
    submitted = st.form_submit_button("Add to guidelines", type="primary")
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
            st.success(f"{escape_md(f.name)}: {result.status}, {result.chunks} passage{'' if result.chunks == 1 else 's'}.")
    bar.empty()

try:
    docs = svc.kb_documents(user)
except KBError as exc:
    st.error(str(exc))
    st.stop()
st.subheader(f"Documents ({len(docs)})")
if not docs:
    st.info("No guidelines yet. Upload Markdown, text, HTML, PDF or Word files.")
for doc in docs:
    cols = st.columns([4, 1.6, 2.2, 1.5, 1.5])
    cols[0].text(f"{doc.title}\n{doc.source}")
    cols[1].text(f"{doc.chunks} passage{'' if doc.chunks == 1 else 's'}")
    cols[2].text(f"added {doc.added_at:%Y-%m-%d %H:%M}")
    with cols[3].popover("Replace"):
        new_file = st.file_uploader("New version", type=[ext.lstrip(".") for ext in SUPPORTED],
                                    key=f"replace-{doc.doc_id}", max_upload_size=svc.deps.settings.max_upload_mb)
        if new_file is not None and st.button("Replace", key=f"do-replace-{doc.doc_id}", type="primary"):
            result = svc.kb_replace(user, doc.doc_id, new_file.name, new_file.getvalue())
            if result.status == "error":
                st.error(f"{new_file.name}: {result.error} The old version stays.")
            else:
                st.rerun()
    if cols[4].button("Remove", key=f"rm-{doc.doc_id}"):
        svc.kb_remove(user, doc.doc_id)
        st.rerun()

st.subheader("Try a search")
query = st.text_input("Question", placeholder="How often should mentors and mentees meet?", key="kb_query")
if query:
    hits = svc.kb_search(user, query, k=5)
    if not hits or hits[0].score < svc.deps.settings.kb_min_score:
        st.warning("The guidelines don't seem to cover that (no passage scores above the threshold).")
    for hit in hits:
        with st.expander(f"{hit.score:.2f} · {escape_md(hit.label())}"):
            st.text(hit.text)
