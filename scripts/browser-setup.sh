#!/usr/bin/env bash
# Make Debian's Chromium available for the browser tests (tests/browser/).
# Idempotent and quiet: does nothing when /usr/bin/chromium (and an emoji font for the
# screenshots) are already there.
# Playwright drives this system browser (executable_path); we never run
# `playwright install`, which would download a browser build of its own.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ] && fc-list 2>/dev/null | grep -qi "Noto Color Emoji"; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    # Not fatal: without Chromium the browser tests skip with a reason; without the emoji
    # font only the screenshots' icons suffer.
    [ -x "$CHROMIUM" ] || echo "browser-setup: $CHROMIUM is missing and this is not root;" \
        "run 'sudo bash scripts/browser-setup.sh' to run the browser tests too" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts=(-qq -o DPkg::Lock::Timeout=300)
apt-get "${apt_opts[@]}" update >/dev/null
# The emoji font makes the page icons render in the screenshots instead of empty boxes.
# debconf's "delaying package configuration" notice is noise, not an error: drop it.
apt-get "${apt_opts[@]}" install -y --no-install-recommends \
    chromium fonts-dejavu-core fonts-noto-color-emoji >/dev/null \
    2> >(grep -v '^debconf: delaying package configuration' >&2)

[ -x "$CHROMIUM" ] || { echo "browser-setup: chromium installed but $CHROMIUM not found" >&2; exit 1; }
