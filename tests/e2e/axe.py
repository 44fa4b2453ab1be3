"""axe-core (Deque's accessibility checker, from the npm registry) for the browser test.

Fetched once with ``npm pack`` into a cache directory outside the repository (``SMARTNOTES_AXE_DIR``, default
``~/.cache/smartnotes/axe-core``); nothing of it is committed. Pinned, so a new release cannot change what
the test checks without a commit."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_VERSION = "4.14.1"
SERIOUS = ("serious", "critical")

RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + (n.html || '').slice(0, 90)),
               }));
}"""


def axe_script() -> Path:
    home = Path(os.environ.get("SMARTNOTES_AXE_DIR") or Path.home() / ".cache" / "smartnotes" / "axe-core")
    script = home / AXE_VERSION / "package" / "axe.min.js"
    if script.exists():
        return script
    home.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(home), "--silent"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with tarfile.open(home / f"axe-core-{AXE_VERSION}.tgz") as archive:
        archive.extract("package/axe.min.js", home / AXE_VERSION, filter="data")
    return script


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core reports as serious or critical on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    found: list[dict[str, Any]] = page.evaluate(RUN)
    return found
