"""What a person does in the browser, as short steps over Playwright's page."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def settle(page: Page) -> None:
    """Wait until the app's script has finished running (and rendered)."""
    page.wait_for_selector(IDLE, state="attached")


def heading(page: Page, text: str):
    return page.get_by_role("heading", name=re.compile(re.escape(text)))


def sign_in(page: Page, url: str, name: str, password: str, lands_on: str) -> None:
    page.goto(url)
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page, lands_on)).to_be_visible()
    settle(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    settle(page)


def open_page(page: Page, link: str, title: str) -> None:
    """Follow the sidebar's link (pages also link to each other, e.g. "See it on My goals")."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=link).click()
    expect(heading(page, title)).to_be_visible()
    settle(page)


def fill(page: Page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


# Set once the app's page changed after it was installed (a run re-renders something, or at
# least flips the script state); a fast run can flip the state twice within one React commit,
# so the state attribute alone may never be seen changing.
_WATCH = """() => {
  window.__waypointChanged = false;
  new MutationObserver(() => { window.__waypointChanged = true; }).observe(
    document.querySelector('[data-testid=stApp]'),
    {attributes: true, childList: true, subtree: true, characterData: true});
}"""
_CHANGED_AND_IDLE = """() => window.__waypointChanged &&
  document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"""
# The coach has answered: the last message is the assistant's and the script is done.
_ANSWERED = """() => {
  const messages = document.querySelectorAll('[data-testid=stChatMessage]');
  const last = messages[messages.length - 1];
  return last && last.querySelector('[data-testid=stChatMessageAvatarAssistant]') &&
    document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning';
}"""


def and_wait(page: Page, action) -> None:
    """Do `action` (a click) and wait until the page changed and the script is idle; callers
    then wait for the content they expect."""
    page.evaluate(_WATCH)
    action()
    page.wait_for_function(_CHANGED_AND_IDLE)


def say(page: Page, text: str) -> None:
    """Send one chat message and wait until it is on the page and the coach has answered it."""
    mine = page.get_by_test_id("stChatMessage").filter(has=page.get_by_text(text, exact=True))
    before = mine.count()
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
    expect(mine).to_have_count(before + 1)
    page.wait_for_function(_ANSWERED)
    settle(page)


def shot(page: Page, path, height: int | None = None) -> None:
    """A screenshot once the page is idle; `height` shows more of a page that scrolls inside
    Streamlit's main area (a full-page screenshot doesn't reach into it), from its top."""
    settle(page)
    size = page.viewport_size
    if height:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.evaluate("() => document.querySelectorAll('*').forEach(el => "
                      "{ if (el.scrollTop) el.scrollTop = 0; })")
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
