"""LibreOffice, run as an untrusting converter: the one way any process converts an office file.

An uploaded deck is hostile until proven otherwise. A picture, OLE object or template "linked" to a URL
(``TargetMode="External"`` in OOXML, ``xlink:href`` in ODF) makes LibreOffice read that URL while
converting: ``file:///`` reads another user's files, ``http://127.0.0.1:...`` reaches internal services.
So every conversion:

1. rewrites the package without external references (``sanitize_package``), after checking its zip
   directory against the archive caps;
2. copies it alone into a private temp dir (mode 0700), with LibreOffice's own profile and temp dirs
   inside it; when the worker runs as root the dir belongs to an unprivileged user
   (``Settings.libreoffice_user``, default ``nobody``) and LibreOffice runs as that user;
3. runs LibreOffice without a network (a new, empty network namespace via ``unshare -n``; when the
   kernel or container refuses that, the conversion still runs and the log says so), with an
   address-space limit (``prlimit --as``) and a timeout that kills its whole process group;
4. moves the output out, and removes the private dir on every path.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import posixpath
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shared.errors import AppError
from shared.files import ArchiveLimits, check_zip

if TYPE_CHECKING:
    from shared.settings import Settings

log = logging.getLogger(__name__)

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@dataclass(frozen=True)
class OfficeOptions:
    """Limits of one conversion (from settings: libreoffice_*, archive_*)."""

    timeout: float = 180
    memory_mb: int = 2048
    user: str = "nobody"
    archive: ArchiveLimits = field(default_factory=ArchiveLimits)
    # Directories LibreOffice must not see at all (the data dir with every user's uploads): covered by an
    # empty tmpfs in its own mount namespace, where one can be made (as root).
    hidden: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> OfficeOptions:
        return cls(
            timeout=settings.libreoffice_timeout,
            memory_mb=settings.libreoffice_memory_mb,
            user=settings.libreoffice_user,
            archive=ArchiveLimits.from_settings(settings),
            hidden=(str(settings.data_dir.resolve()),),
        )


# --- 1. the package without external references -------------------------------------------------------
def _xml_parser() -> Any:
    from lxml import etree

    # No DTDs, no entities, no network: the XML itself is hostile too.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _is_external_target(target: str) -> bool:
    """An OOXML relationship target that leaves the package: a URL (any scheme) or a UNC/absolute path
    outside the package's own names."""
    t = target.strip()
    return bool(_SCHEME.match(t)) or t.startswith(("\\\\", "//")) or "\\" in t


def _is_external_href(href: str) -> bool:
    """An ODF xlink:href that leaves the package: a URL (any scheme), an absolute path, or a relative
    path that climbs out of it ("../x" is relative to the document's folder on disk)."""
    h = href.strip()
    if not h or h.startswith("#"):
        return False
    if _SCHEME.match(h) or h.startswith(("/", "\\")) or "\\" in h:
        return True
    normal = posixpath.normpath(h[2:] if h.startswith("./") else h)
    return normal == ".." or normal.startswith("../")


def _strip_rels(data: bytes) -> tuple[bytes, int]:
    from lxml import etree

    root = etree.fromstring(data, _xml_parser())
    removed = 0
    for rel in list(root):
        if not isinstance(rel.tag, str):
            continue
        external = rel.get("TargetMode", "").lower() == "external" or _is_external_target(
            rel.get("Target", "")
        )
        if external:
            root.remove(rel)
            removed += 1
    if not removed:
        return data, 0
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), removed


def _strip_hrefs(data: bytes) -> tuple[bytes, int]:
    from lxml import etree

    root = etree.fromstring(data, _xml_parser())
    removed = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        href = element.get(XLINK_HREF)
        if href is not None and _is_external_href(href):
            del element.attrib[XLINK_HREF]
            removed += 1
    if not removed:
        return data, 0
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), removed


def sanitize_package(src: Path, dst: Path, *, limits: ArchiveLimits | None = None) -> int:
    """Copy an OOXML (PPTX, DOCX, XLSX) or ODF (ODP, ODT) package to ``dst`` without any reference that
    leaves it: OOXML relationships with ``TargetMode="External"`` or a URL target (linked pictures,
    OLE links, hyperlinks, attached templates, external chart data); ODF ``xlink:href`` to a URL, an
    absolute path or ``../``. Refuses archives over ``limits`` first. Returns how many were removed."""
    check_zip(src, limits)
    removed = 0
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            names = set(zin.namelist())
            odf = "mimetype" in names and "[Content_Types].xml" not in names
            for info in zin.infolist():
                if info.is_dir():
                    continue
                data = zin.read(info)
                name = info.filename
                if name.endswith(".rels"):
                    data, n = _strip_rels(data)
                    removed += n
                elif odf and name.endswith(".xml"):
                    data, n = _strip_hrefs(data)
                    removed += n
                # ODF wants "mimetype" first and stored; everything else deflated as usual.
                compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                out = zipfile.ZipInfo(name, date_time=info.date_time)
                out.compress_type = compress
                out.external_attr = 0o600 << 16
                zout.writestr(out, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, ValueError, OSError) as exc:
        raise AppError("CONVERSION_FAILED", "The file is damaged and cannot be converted.") from exc
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends: a damaged part
        if type(exc).__module__.startswith("lxml"):
            raise AppError("CONVERSION_FAILED", "The file is damaged and cannot be converted.") from exc
        raise
    if removed:
        log.info("removed %d external reference(s) from %s before converting", removed, src.name)
    return removed


def is_package(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


# --- 2./3. the sandbox ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sandbox:
    """How LibreOffice will run here: as whom, and whether without a network."""

    uid: int | None  # None: as the current user
    gid: int | None
    no_network: bool
    prlimit: str | None
    hidden: tuple[str, ...] = ()  # covered in a private mount namespace (root only)


@functools.lru_cache(maxsize=8)
def _unshare_works(unshare: str, as_root: bool) -> bool:
    """Whether ``unshare -n`` (root) or ``unshare -r -n`` (unprivileged) can create a network namespace
    here; containers without CAP_SYS_ADMIN or user namespaces refuse it."""
    args = [unshare, "-n", "true"] if as_root else [unshare, "--user", "--map-current-user", "-n", "true"]
    try:
        return subprocess.run(args, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _traversable_by_others(path: Path) -> bool:
    """Whether another user can reach ``path`` (every parent directory searchable by others)."""
    for parent in [path, *path.parents]:
        try:
            if not parent.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


def plan_sandbox(user: str, work_root: Path, hidden: tuple[str, ...] = ()) -> Sandbox:
    as_root = os.geteuid() == 0
    uid = gid = None
    if as_root and user:
        try:
            entry = pwd.getpwnam(user)
        except KeyError:
            log.warning("LibreOffice user %r does not exist: LibreOffice runs as root", user)
        else:
            if entry.pw_uid == 0:
                pass
            elif shutil.which("setpriv") is None:
                log.warning("setpriv (util-linux) is missing: LibreOffice runs as root")
            elif not _traversable_by_others(work_root):
                log.warning("%s is not reachable by %r: LibreOffice runs as root", work_root, user)
            else:
                uid, gid = entry.pw_uid, entry.pw_gid
    unshare = shutil.which("unshare")
    no_network = unshare is not None and _unshare_works(unshare, as_root)
    if not no_network:
        log.warning(
            "LibreOffice runs WITH network access: no network namespace is available here "
            "(unshare -n needs root or user namespaces); external links are still removed first"
        )
    hide: tuple[str, ...] = ()
    if as_root and no_network and shutil.which("mount") and hidden:
        root = work_root.resolve()
        hide = tuple(
            str(Path(h).resolve())
            for h in hidden
            if Path(h).is_dir() and Path(h).resolve() != root and Path(h).resolve() not in root.parents
        )
    return Sandbox(uid=uid, gid=gid, no_network=no_network, prlimit=shutil.which("prlimit"), hidden=hide)


# Inside the new mount namespace: an empty, read-only tmpfs over each hidden dir, then the command.
_HIDE = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do '
    'mount -t tmpfs -o ro,size=4k,mode=000 smartnotes-hidden "$1" || exit 97; shift; n=$((n-1)); done; '
    'exec "$@"'
)


def sandbox_command(box: Sandbox, argv: list[str], *, memory_bytes: int) -> list[str]:
    """``argv`` wrapped: no network, then the unprivileged user, then the memory limit."""
    command: list[str] = []
    if box.no_network:
        unshare = shutil.which("unshare") or "unshare"
        if os.geteuid() != 0:
            command += [unshare, "--user", "--map-current-user", "--net", "--"]
        elif box.hidden:
            command += [unshare, "--net", "--mount", "--propagation", "private", "--"]
            command += ["/bin/sh", "-c", _HIDE, "sh", str(len(box.hidden)), *box.hidden]
        else:
            command += [unshare, "--net", "--"]
    if box.uid is not None and box.gid is not None:
        command += [
            shutil.which("setpriv") or "setpriv",
            f"--reuid={box.uid}",
            f"--regid={box.gid}",
            "--clear-groups",
            "--no-new-privs",
            "--",
        ]
    if box.prlimit:
        command += [box.prlimit, f"--as={memory_bytes}", "--core=0", "--"]
    return command + argv


def _limit_memory(memory_bytes: int) -> Any:
    def apply() -> None:  # only when prlimit is missing
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def run_sandboxed(
    argv: list[str],
    *,
    workdir: Path,
    timeout: float,
    memory_mb: int,
    box: Sandbox,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``argv`` in ``workdir`` inside the sandbox; on timeout the whole process group is killed
    (LibreOffice's launcher leaves soffice.bin behind otherwise). Raises subprocess.TimeoutExpired."""
    memory_bytes = memory_mb * 1024 * 1024
    command = sandbox_command(box, argv, memory_bytes=memory_bytes)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir / "tmp"),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "SAL_USE_VCLPLUGIN": "svp",
    }
    proc = subprocess.Popen(
        command,
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, killed as one
        preexec_fn=None if box.prlimit else _limit_memory(memory_bytes),
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        raise
    finally:
        _kill_group(proc)  # stragglers (the launcher's soffice.bin) never outlive the conversion
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


# --- the one entry point ------------------------------------------------------------------------------------
def convert(
    src: Path,
    target: str,
    *,
    out_dir: Path,
    options: OfficeOptions | None = None,
    binary: str | None = None,
    work_root: Path | None = None,
) -> Path:
    """Convert ``src`` to ``target`` (e.g. "pdf", "pptx") with LibreOffice in the sandbox; the result is
    written into ``out_dir`` (which the caller owns and removes) and its path returned.

    Raises AppError UNSUPPORTED_FORMAT when LibreOffice is absent, CONVERSION_FAILED when it fails,
    times out or produces nothing, ARCHIVE_* when the package is over the caps."""
    opts = options or OfficeOptions()
    binary = binary or find_soffice()
    if binary is None:
        raise AppError(
            "UNSUPPORTED_FORMAT",
            f"{src.suffix} files need LibreOffice on the worker (apt-get install libreoffice-impress), "
            "or save the file as PDF or PPTX and upload that.",
        )
    root = work_root or Path(tempfile.gettempdir())
    box = plan_sandbox(opts.user, root, opts.hidden)
    private = Path(tempfile.mkdtemp(prefix="smartnotes-office-", dir=root))  # mode 0700
    started = time.monotonic()
    try:
        suffix = src.suffix.lower() or ".bin"
        name = "input" + suffix
        if is_package(src):
            sanitize_package(src, private / name, limits=opts.archive)
        else:  # legacy binary formats (.ppt) hold no zip parts to clean; the sandbox still applies
            shutil.copyfile(src, private / name)
        for sub in ("profile", "out", "tmp"):
            (private / sub).mkdir(mode=0o700)
        if box.uid is not None and box.gid is not None:
            for path in (private, *private.iterdir()):
                os.chown(path, box.uid, box.gid)
        (private / name).chmod(0o600)
        argv = [
            binary,
            f"-env:UserInstallation=file://{private / 'profile'}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            target,
            "--outdir",
            str(private / "out"),
            str(private / name),
        ]
        try:
            result = run_sandboxed(
                argv, workdir=private, timeout=opts.timeout, memory_mb=opts.memory_mb, box=box
            )
        except subprocess.TimeoutExpired as exc:
            raise AppError(
                "CONVERSION_FAILED",
                f"LibreOffice did not finish converting the file in {opts.timeout:.0f} s.",
            ) from exc
        except OSError as exc:
            raise AppError("CONVERSION_FAILED", f"LibreOffice could not start ({exc.strerror}).") from exc
        produced = sorted((private / "out").glob(f"*.{target}"))
        if result.returncode != 0 or not produced:
            log.warning(
                "LibreOffice failed (exit %s): %s",
                result.returncode,
                result.stderr.decode(errors="replace")[-500:],
            )
            raise AppError("CONVERSION_FAILED", "LibreOffice could not convert the file.")
        out_dir.mkdir(parents=True, exist_ok=True)
        final = out_dir / f"{src.stem}.{target}"
        shutil.move(str(produced[0]), final)
        log.info(
            "converted %s to %s in %.1f s (network %s, user %s)",
            src.name,
            target,
            time.monotonic() - started,
            "off" if box.no_network else "ON",
            box.uid if box.uid is not None else os.geteuid(),
        )
        return final
    finally:
        shutil.rmtree(private, ignore_errors=True)
