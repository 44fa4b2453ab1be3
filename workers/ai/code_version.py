"""A digest of the code that answers, part of the answer cache's key: after an upgrade a question asked
before is answered by the new code, not served the old code's cached answer (CACHE_FORMAT needed a bump by
hand, and a forgotten bump served stale answers)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path


def code_digest(folders: Iterable[Path]) -> str:
    """A short hash of every Python file (name and bytes) directly in these folders, in a stable order."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def answering_code() -> str:
    """The digest of this package (retrieval, answering, refusal) and of the shared text toolkit it uses;
    computed once per process."""
    import shared.text

    return code_digest([Path(__file__).parent, Path(shared.text.__file__).parent])
