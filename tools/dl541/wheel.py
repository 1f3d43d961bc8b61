"""A wheel of dl541 itself, for the autograder zip: Gradescope installs the engine that grades locally.

Written by hand rather than by a build backend: a pure-Python wheel is a zip with a dist-info
folder, and writing it here makes the bytes depend on the sources alone (fixed timestamps), so
an unchanged dl541 gives an unchanged autograder fingerprint.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path

from . import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
#: What grading needs at run time (the autograder's requirements pin the versions).
REQUIRES = ("otter-grader[grading]>=7", "torch>=2.2", "numpy>=1.26", "hypothesis>=6.100", "click>=8.1")
_EPOCH = (1980, 1, 1, 0, 0, 0)


def wheel_name() -> str:
    """The file name pip expects: dl541-VERSION-py3-none-any.whl."""
    return f"dl541-{__version__}-py3-none-any.whl"


def build_wheel() -> bytes:
    """The bytes of a wheel holding every module of the dl541 package and its `dl541` command."""
    info = f"dl541-{__version__}.dist-info"
    files: list[tuple[str, bytes]] = [
        (f"dl541/{path.relative_to(PACKAGE_DIR).as_posix()}", path.read_bytes())
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if "__pycache__" not in path.parts
    ]
    metadata = [
        "Metadata-Version: 2.1",
        "Name: dl541",
        f"Version: {__version__}",
        "Summary: The DL541 grading engine (confined, tamper-checked grading of Otter test files)",
        "Requires-Python: >=3.10",
        *(f"Requires-Dist: {req}" for req in REQUIRES),
    ]
    files += [
        (f"{info}/METADATA", ("\n".join(metadata) + "\n").encode()),
        (
            f"{info}/WHEEL",
            b"Wheel-Version: 1.0\nGenerator: dl541\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        ),
        (f"{info}/entry_points.txt", b"[console_scripts]\ndl541 = dl541.cli:main\n"),
        (f"{info}/top_level.txt", b"dl541\n"),
    ]
    record = [f"{name},sha256={_hash(data)},{len(data)}" for name, data in files] + [f"{info}/RECORD,,"]
    files.append((f"{info}/RECORD", ("\n".join(record) + "\n").encode()))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(entry, data)
    return buffer.getvalue()


def _hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
