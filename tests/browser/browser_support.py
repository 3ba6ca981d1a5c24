"""How every browser test starts Debian's chromium: headless, no background traffic, and every
host but loopback unresolvable, so a request that leaves the machine fails loudly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

# Every browser test module: marked `browser`; skipped only on a machine without chromium, never
# in CI (where `make test` installs it).
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium); required when CI is set",
    ),
]
