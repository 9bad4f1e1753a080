"""Model calls and prompt tokens per completed goal, through the real service, store and ChatOpenAI.

    .venv/bin/python bench/llm_bench.py                 # fake OpenAI server on 127.0.0.1
    .venv/bin/python bench/llm_bench.py --base-url http://127.0.0.1:8080/v1   # any real server

Against the fake server a deterministic stand-in "model" answers each turn from
the prompt itself (it files the mentee's message under the slot the prompt says
was asked), and prompt tokens are the server's estimate (characters / 4 of
messages + tool schema, as billed by OpenAI-style servers). Against a real
server the numbers are its own usage fields. Targets: 1 call per turn,
<= 3,000 prompt tokens per call. Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_openai import FakeOpenAI, reply  # noqa: E402

from assistant.coach.offline import OfflineBackend  # noqa: E402
from assistant.coach.types import TurnRequest  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.deps import build_deps  # noqa: E402
from assistant.llm import LLMBackend  # noqa: E402
from assistant.models import Citation  # noqa: E402
from assistant.service import SYSTEM, Service  # noqa: E402
from llm_support import TODAY, Metered  # noqa: E402

CONVERSATIONS = {
    "one slot per turn": ["I want to get better at public speaking", "Give 3 talks at our team all-hands meeting",
                          "by the end of March 2027", "My manager gives me an hour a week to prepare",
                          "I want to lead the team one day", "yes"],
    "all at once": ["Present our quarterly results to the leadership group twice before the end of June 2027 "
                    "because I want to be considered for the team lead role. My manager agreed to coach me.", "yes"],
    "looser phrasing": ["I'd like to present at three of our all-hands meetings", "before the spring is out",
                        "my lead said I can use Friday afternoons to prep", "I'm aiming for a team lead role next year",
                        "go for it"],
}
ANSWERS = {"what": "Give 3 talks at our team all-hands meeting", "measure": "3 talks",
           "deadline": "by the end of March 2027", "achievability": "My manager gives me an hour a week",
           "relevance": "I want to lead the team one day"}


def stand_in_model(body: dict) -> dict:
    """Answers like a cooperative model: the message goes under the slot that was asked."""
    user = "\n".join(str(m.get("content") or "") for m in body["messages"] if m["role"] == "user")
    message = re.search(r"<mentee_message>\n(.*?)\n</mentee_message>", user, re.S).group(1).strip()
    asked = re.search(r"asked about: (\w+)", user).group(1)
    if message.lower() in ("yes", "go for it"):  # a go-ahead confirms a proposal, and answers no question
        update = {"intent": "confirm"} if asked == "the" else {}  # "the proposed goal"
    elif asked == "nothing":
        update = {"what": message}
    else:
        update = {"deadline_text": message} if asked == "deadline" else {asked: message}
    return reply({"update": update, "reply": "", "asks": None})



def run_conversation(base_url: str, lines: list[str], method: str) -> dict:
    backend = Metered(LLMBackend(_settings(base_url), OfflineBackend(), method=method))
    with tempfile.TemporaryDirectory() as home:
        (Path(home) / "guidelines").mkdir()  # no library: the numbers are about the model calls
        settings = Settings(home=Path(home) / "data", llm="offline", knowledge_dir=Path(home) / "guidelines")
        service = Service(build_deps(settings, backend=backend, today=lambda: TODAY))
        service.add_user(SYSTEM, "alex", "mentee")
        alex = service.user("alex")
        text, saved = lines[0], False
        for number in range(12):
            chat = service.chat(alex, text)
            if chat.step.kind == "saved":
                saved = True
                break
            nxt = lines[number + 1] if number + 1 < len(lines) else None
            text = nxt or (ANSWERS.get(chat.step.slot, "yes") if chat.step.kind == "ask" else "yes")
    calls = sum(r.usage.calls for r in backend.results)
    per_call = [r.usage.prompt_tokens / max(r.usage.calls, 1) for r in backend.results]
    return {"saved": saved, "turns": len(backend.results), "calls": calls,
            "prompt": sum(r.usage.prompt_tokens for r in backend.results), "max_per_call": max(per_call),
            "fallbacks": sum(1 for r in backend.results if r.fallback_reason)}


def worst_case(base_url: str, method: str) -> int:
    """One call with everything the prompt can carry: history, 3 long passages, a 4,000-char message."""
    passages = [Citation(doc_id=str(i), source="handbook.md", title="Mentoring handbook", section=f"Part {i}",
                         text="Guidance on goals and meetings. " * 60) for i in range(5)]
    history = [{"role": "user" if i % 2 else "assistant", "text": "A long message about my goals. " * 20}
               for i in range(10)]
    req = TurnRequest(text=("I will present our results to the leadership team. " * 80)[:4000],
                      draft={"what": "Present our results to the leadership team", "relevance": "Promotion " * 40},
                      expecting="measure", today=TODAY, passages=passages, history=history)
    result = LLMBackend(_settings(base_url), OfflineBackend(), method=method).interpret(req)
    return round(result.usage.prompt_tokens / max(result.usage.calls, 1))


def _settings(base_url: str):
    from llm_support import settings_for
    return settings_for(base_url, llm_timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", help="a real OpenAI-compatible server instead of the fake one")
    parser.add_argument("--methods", default="function_calling,json_mode")
    args = parser.parse_args()
    server = None if args.base_url else FakeOpenAI(responder=stand_in_model).start()
    base_url = args.base_url or server.base_url
    try:
        print("| method | conversation | saved | turns | model calls | calls/turn | prompt tokens/goal "
              "| max prompt tokens/call | fallback turns |")
        print("|---|---|---|---|---|---|---|---|---|")
        for method in args.methods.split(","):
            for name, lines in CONVERSATIONS.items():
                r = run_conversation(base_url, lines, method)
                print(f"| {method} | {name} | {r['saved']} | {r['turns']} | {r['calls']} | "
                      f"{r['calls'] / r['turns']:.2f} | {r['prompt']} | {r['max_per_call']:.0f} | {r['fallbacks']} |")
        for method in args.methods.split(","):
            print(f"\nworst-case single call ({method}): {worst_case(base_url, method)} prompt tokens")
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
