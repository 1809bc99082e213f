"""Files written whole or not at all, output folders, provenance."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

PACKAGES = ("mesa", "numpy", "pandas", "matplotlib", "pyarrow", "SALib", "dask", "distributed")


#: Files whose content decides a run's numbers (with the packages in DIGEST_PACKAGES).
DIGEST_SOURCES = ("world", "agents", "model", "experiments/runs/single.py")
DIGEST_PACKAGES = ("mesa", "numpy", "pandas")
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


class OutputError(ValueError):
    """An output folder cannot be used."""


class DiskFullError(OutputError):
    """The disk holding an output folder is full (nothing half-written is left)."""

    def __init__(self, path: str | Path):
        super().__init__(
            f"the disk holding {Path(path).parent} is full: free some space and run the same "
            "command again (the runs finished so far are saved)."
        )
        self.path = str(path)

    def __reduce__(self):  # travels from a worker process as itself
        return type(self), (self.path,)


def clip(text: str, width: int = 60) -> str:
    """``text`` cut to ``width`` characters for a message, saying how long it was."""
    text = str(text)
    return text if len(text) <= width else f"{text[: width - 20]}...({len(text)} characters)"


def prepare_out_dir(path: str | Path) -> Path:
    """Create ``path`` (and parents) or raise OutputError naming it; check it is writable."""
    out = Path(path)
    try:
        if out.exists() and not out.is_dir():
            raise OutputError(
                f"--out {clip(out, 200)} is a file, not a folder: give a folder path."
            )
        out.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=out, prefix=".probe-", delete=True)
        probe.close()
    except OSError as exc:
        raise OutputError(
            f"--out {clip(out, 200)} is not writable ({exc.strerror}): choose another folder."
        ) from None
    return out


def check_run_target(path: str) -> Path:
    """The folder a single run will write, checked before anything runs: not empty, not
    the root, not a file, not a sweep's folder, in a writable place. Creates nothing."""
    if not str(path).strip():
        raise OutputError("--out '' is empty: give a folder for the run's files, e.g. results/run.")
    out = Path(path)
    if out.resolve() == Path(out.resolve().anchor):
        raise OutputError(f"--out {path} is the root folder: give a folder for the run's files.")
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is a file, not a folder: give a folder path.")
    if (out / "manifest.json").exists() or (out / "parts").exists():
        raise OutputError(
            f"--out {out} holds a sweep (manifest.json or parts/): give another folder, "
            "a run would mix its files with the sweep's."
        )
    existing = next(p for p in (out.absolute(), *out.absolute().parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"--out {out} is not writable: choose another folder.")
    return out


@contextmanager
def staged_folder(out: Path):
    """Yield a temporary folder beside ``out``; when the block succeeds move its files into
    ``out`` (renames: ``out`` appears whole at once when new); on any error (a full disk)
    remove it, so nothing half-written is left. Disk errors become OutputError."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
        stage.chmod(0o777 & ~current_umask())
    except OSError as exc:
        raise OutputError(
            f"--out {out} is not writable ({exc.strerror}): choose another folder."
        ) from None
    try:
        yield stage
        if not out.exists():
            os.rename(stage, out)
            return
        for item in stage.iterdir():
            os.replace(item, out / item.name)
        stage.rmdir()
    except (OSError, DiskFullError) as exc:
        shutil.rmtree(stage, ignore_errors=True)
        reason = os.strerror(errno.ENOSPC) if isinstance(exc, DiskFullError) else exc.strerror
        raise OutputError(
            f"could not write --out {out} ({reason}): nothing was written; free some "
            "space or choose another folder."
        ) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


class FolderLock:
    """An exclusive lock on an output folder (``.lock``, flock), held while a sweep writes
    there; it goes with the process that holds it, however that process ends."""

    def __init__(self, out: Path):
        self.path = out / ".lock"
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)  # as the umask allows
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self.fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(self.fd)
            raise OutputError(
                f"{clip(out, 200)} is in use by another sweep (pid {holder}): wait for it to "
                "finish or give another --out."
            ) from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"{os.getpid()}\n".encode(), 0)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing releases the flock
            self.fd = -1


def write_atomic(path: str | Path, data: bytes | str, durable: bool = True) -> None:
    """Write ``data`` to ``path`` via a temporary file and an atomic rename.

    The rename makes the file whole or absent after a crash of this process (SIGKILL
    included); ``durable`` also flushes it to the disk first (survives a power cut). The file
    gets the mode a plain ``open()`` would give it (0666 less the umask), not mkstemp's 0600.
    """
    path = Path(path)
    payload = data.encode() if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise DiskFullError(path) from None
        raise
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in NO_SPACE:
            raise DiskFullError(path) from None
        raise


def current_umask() -> int:
    """The process's umask, read without changing it where Linux allows (/proc), else by
    setting and restoring it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_json(path: str | Path, obj, sort_keys: bool = True) -> None:
    """JSON written whole; ``sort_keys=False`` where key order carries meaning."""
    text = json.dumps(obj, indent=2, sort_keys=sort_keys, default=_jsonable)
    write_atomic(path, text + "\n")


def _jsonable(x):
    if hasattr(x, "item"):
        return x.item()
    return str(x)


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions


def code_version() -> str:
    """The git commit of the code (with '+dirty' for local changes), or 'unknown'."""
    root = Path(__file__).resolve().parents[2]  # the package: git finds its checkout
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout
        return commit + ("+dirty" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


_DIGEST: str | None = None


def code_digest() -> str:
    """A short hash of the code that decides a run's numbers (the model's sources and the
    versions of the packages it computes with): equal digests, equal results."""
    global _DIGEST
    if _DIGEST is None:
        root = Path(__file__).resolve().parents[2]  # the package jevons_compute/
        h = hashlib.sha256()
        for entry in DIGEST_SOURCES:
            base = root / entry
            files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
            for f in files:
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
        versions = package_versions()
        for name in ("python", *DIGEST_PACKAGES):
            h.update(f"{name}={versions.get(name)}".encode())
        _DIGEST = h.hexdigest()[:16]
    return _DIGEST
