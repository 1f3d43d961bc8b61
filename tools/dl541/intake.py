"""Who submitted what: one entry per student from the files and folders an instructor points at.

Rules of `collect`. Nothing is merged or dropped silently: every file seen and not graded is in
`Intake.ignored` with why, and every decision is in the entry's `note`.
- **A file given directly** is one submission, whatever its type (the grader reports a wrong one).
- **Folders are searched recursively**, not into links. Hidden files and folders, `__MACOSX`,
  `.ipynb_checkpoints` and `__pycache__` are skipped; only `.ipynb`, `.py` and `.zip` files are
  submissions; a file reached twice counts once.
- **Folder per student.** In a folder given, each file at its top is a student of its own and each
  immediate sub-folder is one student, id = the sub-folder's name, whatever depth its files are at.
  But a folder holding `submission_metadata.yml` is a Gradescope export (below), and a sub-folder
  whose files carry Canvas names of two or more students is a Canvas download, read file by file.
- **A file that is a student of its own** has its Canvas user id when its name is a Canvas download
  name, else its stem. Canvas names: `name_userid_attachmentid_original`, late
  `name_LATE_userid_attachmentid_original` (name: lowercase letters; ids: digits; `original`: the
  uploaded name, to which Canvas appends `-1`, `-2` on re-submission); the entry's name is the name
  part, its note "late". The form without attachment id (`name_userid_original`) counts only when
  LATE or beside a full-form name in the same folder: `lab_1_solution.py` alone is a plain file.
- **Gradescope export**: `submission_metadata.yml` maps each `submission_<id>/` folder to its
  `:submitters:`; id = a submitter's `:sid:`, else `:email:`, else the folder name; name = `:name:`.
  A group submission gives each submitter an entry with the same file, and a note saying so.
- **Several gradable files for one id**: a notebook over an export zip over a `.py`; among those of
  one kind the newest attempt, by the first of these that all of them have: Canvas attachment id
  (none = first attempt; then the `-N` suffix), Gradescope `:created_at:`, modification time; on a
  tie, a file whose stem (Canvas: `original` less `-N`) is the assignment name, ignoring case; then
  the newest modification time; then the first path. The note says which file was graded and why.
- **Roster** (CSV, columns `id,name`, others allowed): names come from it; each roster student with
  no submission gets an entry with no file (graded `missing`); a submission whose id is not on it
  stays, noted "not on the roster".
- **Ids** are compared as stripped strings; an id from a stem or a folder's name holds only within
  its parent folder (`a/depth.ipynb` and `b/depth.ipynb`, or `a/s1/` and `b/s1/`, stay two students).
  `Entry.student` is the id made safe as a folder name (characters other than letters, digits and
  `.-_@+` become `_`, no leading `.`, at most 100 characters) and unique ignoring case (`-2`, `-3`
  appended); the note says when it differs from the id.
- **Order**: students with a file in id order (numbers by value), then those without one (roster
  students; student folders and Gradescope submissions with nothing gradable, noted).
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

KINDS = {".ipynb": (3, "notebook"), ".zip": (2, "export zip"), ".py": (1, ".py")}
SKIPPED_FOLDERS = {"__MACOSX": "macOS metadata", ".ipynb_checkpoints": "checkpoints", "__pycache__": "cache"}
GRADESCOPE_METADATA = "submission_metadata.yml"
NOT_ON_ROSTER = "not on the roster"
NOTHING = "no .ipynb, .py or .zip"
_CANVAS = re.compile(r"(?P<name>[^\W\d_]+)_(?:(?P<late>LATE)_)?(?P<uid>\d+)_(?:(?P<att>\d+)_)?(?P<orig>.+)")
_RESUBMITTED = re.compile(r"-([0-9]+)$")
_NEWNESS = {"attempt": "Canvas attempt", "created": "Gradescope time", "mtime": "modification time"}
_DECIDED = (  # what decided between two files: the note's words, and why the other is not graded
    ("the {k} {b} over {o}", "not graded for {s}: the {k} {b} is graded over this {c}"),
    ("the newest {k} {b} over {o} (by {n})", "older attempt of {s} ({b} is graded)"),
    ("the {k} {b} (the assignment's name) over {o}", "not graded for {s}: {b} has the assignment's name"),
    ("the newest {k} {b} over {o} (by modification time)", "older attempt of {s} ({b} is graded)"),
    ("the {k} {b} over {o} (first by path)", "not graded for {s}: {b} comes first by path"),
)


class _RubyLoader(yaml.SafeLoader):
    """A SafeLoader that reads Ruby's tags (`!ruby/object:...`, in Gradescope's YAML) as plain data."""


_RubyLoader.add_multi_constructor("!", lambda ld, _, node: getattr(ld, f"construct_{node.id}")(node))


@dataclass(frozen=True)
class Entry:
    """One student: the file to grade (None: nothing to grade) and what was decided about it."""

    student: str  # the id, safe and unique as a folder name
    name: str  # the student's name if known, else ""
    path: Path | None  # the file to grade; None for a student with no submission
    note: str  # one line for the gradebook when something was decided, else ""


@dataclass
class Intake:
    entries: list[Entry]  # submissions in id order, then students with no submission
    ignored: list[tuple[Path, str]]  # every file or folder seen and not graded, with why


@dataclass
class _Candidate:
    sid: str
    path: Path
    label: str  # how notes show the file
    name: str = ""
    notes: tuple[str, ...] = ()
    attempt: tuple[int, int] | None = None  # Canvas: (attachment id or 0, -N suffix or 0)
    created: float | None = None  # Gradescope :created_at:
    stem: str = ""  # compared with the assignment name
    scope: str = ""  # where an id from a stem or a folder's name holds: its parent folder
    mtime: float = field(init=False)
    kind: tuple[int, str] = field(init=False)  # (rank, word): a notebook over an export zip over a .py

    def __post_init__(self) -> None:
        self.stem = self.stem or self.path.stem
        self.mtime = self.path.stat().st_mtime if self.path.exists() else 0.0
        self.kind = KINDS.get(self.path.suffix.lower(), (0, "file"))


def read_roster(path: Path) -> dict[str, str]:
    """Student id -> name from a CSV with columns `id` and `name` (others allowed, any order, any case).

    A UTF-8 byte-order mark and blank lines are accepted. ValueError names the line (and column)
    of a malformed file: not UTF-8, no `id` or `name` column, a row with the wrong number of fields,
    an empty id, or ids given twice (all of them, with their lines).
    """
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValueError(f"{path} line {line}: not UTF-8 text") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    out: dict[str, str] = {}
    lines: dict[str, list[int]] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().casefold() for cell in row]
                if any(header.count(column) != 1 for column in ("id", "name")):
                    hint = " (separate columns with commas)" if ";" in row[0] or "\t" in row[0] else ""
                    raise ValueError(f"{path} line {line}: needs columns id and name, found {row}{hint}")
                at_id, at_name = header.index("id"), header.index("name")
                continue
            if len(row) != len(header):
                raise ValueError(f"{path} line {line}: {len(row)} fields, the header has {len(header)}")
            sid = row[at_id].strip()
            if not sid:
                raise ValueError(f"{path} line {line}, column {at_id + 1} (id): empty id")
            out.setdefault(sid, row[at_name].strip())
            lines.setdefault(sid, []).append(line)
    except csv.Error as exc:
        raise ValueError(f"{path} line {reader.line_num}: {exc}") from None
    if header is None:
        raise ValueError(f"{path}: empty, needs a header line with columns id and name")
    twice = [f"{sid!r} (lines {', '.join(map(str, n))})" for sid, n in lines.items() if len(n) > 1]
    if twice:
        raise ValueError(f"{path}: ids given more than once: {'; '.join(twice)}")
    return out


def collect(paths: Sequence[Path], roster: Path | None = None, assignment: str | None = None) -> Intake:
    """One entry per student from files and folders (see the module's rules); ValueError names a path
    that does not exist, a malformed roster or an unreadable Gradescope metadata file."""
    found = _Collector()
    for path in map(Path, paths):
        if path.is_dir():
            found.folder(path)
        elif not path.exists():
            raise ValueError(f"{path} does not exist")
        elif found.first_time(path):
            found.own_file(path, path.name)
    return found.intake(read_roster(roster) if roster is not None else None, assignment)


class _Collector:
    def __init__(self) -> None:
        self.candidates: dict[tuple[str, str], list[_Candidate]] = {}  # (id, scope) -> its files
        self.empty: dict[str, tuple[str, str]] = {}  # id -> (name, note) of a student with nothing gradable
        self.ignored: list[tuple[Path, str]] = []
        self.seen: set[Path] = set()
        self.canvas_folders: dict[Path, bool] = {}

    def add(self, candidate: _Candidate) -> None:
        self.candidates.setdefault((candidate.sid, candidate.scope), []).append(candidate)

    def first_time(self, path: Path) -> bool:
        before = len(self.seen)
        self.seen.add(path.resolve())
        if len(self.seen) == before:
            self.ignored.append((path, "already collected (given twice)"))
        return len(self.seen) > before

    def skipped(self, path: Path) -> bool:
        """Whether `path` is not a submission (recorded in `ignored` with why)."""
        if path.is_dir():
            why = SKIPPED_FOLDERS.get(path.name) or ("hidden folder" if path.name.startswith(".") else "")
            why = why or ("link to a folder, not followed" if path.is_symlink() else "")
        elif path.name.startswith("."):
            why = "hidden file"
        elif path.suffix.lower() not in KINDS:
            why = f"not a submission type ({path.suffix or 'no extension'})"
        else:
            return not self.first_time(path)
        if why:
            self.ignored.append((path, why))
        return bool(why)

    def walk(self, folder: Path) -> list[Path]:
        """The submission files under `folder`, at any depth; the rest recorded in `ignored`."""
        out = []
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in sorted(dirs) if not self.skipped(Path(root, d))]
            out += [Path(root, f) for f in sorted(files) if not self.skipped(Path(root, f))]
        return out

    def canvas(self, path: Path) -> re.Match | None:
        """The parts of a Canvas bulk-download name, or None for a name that is not clearly one."""
        match = _canvas_name(path.name)
        if match is None or match["att"] or match["late"]:
            return match
        folder = path.parent
        if folder not in self.canvas_folders:
            names = os.listdir(folder) if folder.is_dir() else []
            self.canvas_folders[folder] = any((m := _canvas_name(n)) and m["att"] for n in names)
        return match if self.canvas_folders[folder] else None

    def own_file(self, path: Path, label: str) -> None:
        """A file that is a student of its own: the Canvas user id or the stem names it."""
        match = self.canvas(path)
        canvas = match and _canvas_candidate(match, match["uid"], path, label)
        self.add(canvas or _Candidate(path.stem.strip(), path, label, scope=str(path.parent)))

    def folder(self, folder: Path) -> None:
        meta = _gradescope_metadata(folder / GRADESCOPE_METADATA)
        for path in sorted(folder.iterdir()):
            if meta is not None and path.name == GRADESCOPE_METADATA:
                self.ignored.append((path, "Gradescope export metadata (read)"))
            elif self.skipped(path):
                continue
            elif not path.is_dir():
                self.own_file(path, path.name)
            elif meta is not None and path.name in meta:
                self.gradescope(path, meta.pop(path.name))
            elif (path / GRADESCOPE_METADATA).is_file():
                self.folder(path)
            else:
                self.student_folder(path)
        for key, info in (meta or {}).items():  # submissions whose folder is not in the export
            for sid, name, notes in _submitters(info, key):
                self.empty.setdefault(sid, (name, "; ".join([*notes, f"Gradescope {key}: no folder"])))

    def student_folder(self, folder: Path) -> None:
        files = self.walk(folder)
        matches = [self.canvas(p) for p in files]
        if len({m["uid"] for m in matches if m}) > 1:  # a Canvas download, not one student
            for path in files:
                self.own_file(path, path.relative_to(folder.parent).as_posix())
            return
        sid = folder.name.strip()
        for path, match in zip(files, matches):
            label = path.relative_to(folder).as_posix()
            candidate = _canvas_candidate(match, sid, path, label) if match else _Candidate(sid, path, label)
            candidate.scope = str(folder.parent)
            self.add(candidate)
        if not files:
            self.empty.setdefault(sid, ("", f"{NOTHING} in the folder {folder.name}"))

    def gradescope(self, folder: Path, info: object) -> None:
        files = self.walk(folder)
        created = _timestamp(info.get("created_at")) if isinstance(info, dict) else None
        for sid, name, notes in _submitters(info, folder.name):
            for path in files:
                label = f"{folder.name}/{path.relative_to(folder).as_posix()}"
                self.add(_Candidate(sid, path, label, name, tuple(notes), created=created))
            if not files:
                self.empty.setdefault(sid, (name, "; ".join([*notes, f"{NOTHING} in {folder.name}"])))

    def intake(self, roster: dict[str, str] | None, assignment: str | None) -> Intake:
        chosen: dict[tuple[str, str], tuple[Path | None, str, list[str]]] = {}
        for (sid, scope), group in self.candidates.items():
            best, note, losers = _choose(sid, group, assignment)
            self.ignored += losers
            name = best.name or next((c.name for c in group if c.name), "")
            chosen[sid, scope] = (best.path, name, [*best.notes, *([note] if note else [])])
        have = {sid for sid, _ in chosen}
        for sid in [*self.empty, *(roster or {})]:  # students with nothing to grade
            name, note = self.empty.get(sid, ("", ""))
            if sid not in have:
                chosen.setdefault((sid, ""), (None, name, [note] if note else []))
        names = _folder_names(list(chosen))
        ids = [sid for sid, _ in chosen]
        entries = []
        for key, (path, name, notes) in chosen.items():
            if roster is not None:
                name = roster.get(key[0]) or name
                notes = notes if key[0] in roster else [*notes, NOT_ON_ROSTER]
            if names[key] != key[0]:
                why = "made safe" if _safe(key[0]) != key[0] else "another id differs only in case"
                why = "another submission elsewhere has this id" if ids.count(key[0]) > 1 else why
                notes = [*notes, f"id {key[0]!r} written as {names[key]} ({why})"]
            entries.append(Entry(names[key], name, path, "; ".join(notes)))
        entries.sort(key=lambda e: (e.path is None, _natural(e.student), e.student))
        return Intake(entries, self.ignored)


def _canvas_name(name: str) -> re.Match | None:
    match = _CANVAS.fullmatch(name)
    return match if match and match["name"] == match["name"].lower() else None


def _canvas_candidate(match: re.Match, sid: str, path: Path, label: str) -> _Candidate:
    original = Path(match["orig"]).stem
    suffix = _RESUBMITTED.search(original)
    attempt = (int(match["att"] or 0), int(suffix[1]) if suffix else 0)
    stem = original[: suffix.start()] if suffix else original
    late = ("late",) if match["late"] else ()
    return _Candidate(sid, path, label, match["name"], late, attempt=attempt, stem=stem)


def _choose(sid: str, group: list[_Candidate], assignment: str | None):
    """The candidate graded for `sid`, the note saying why, and each other one with why not."""
    if len(group) == 1:
        return group[0], "", []
    newness = next((a for a in ("attempt", "created") if None not in [getattr(c, a) for c in group]), "mtime")
    wanted = (assignment or "").strip().casefold()

    def key(c: _Candidate) -> tuple:
        return (c.kind[0], getattr(c, newness), bool(wanted) and c.stem.casefold() == wanted, c.mtime)

    def rule(c: _Candidate) -> int:  # the first part of the order that puts `best` before `c`
        return next((i for i, (a, b) in enumerate(zip(key(best), key(c))) if a != b), 4)

    ranked = sorted(sorted(group, key=lambda c: str(c.path)), key=key, reverse=True)
    best, others = ranked[0], ", ".join(c.label for c in ranked[1:])
    words = {"s": sid, "k": best.kind[1], "b": best.label, "o": others, "n": _NEWNESS[newness]}
    losers = [(c.path, _DECIDED[rule(c)][1].format(c=c.kind[1], **words)) for c in ranked[1:]]
    return best, f"{len(group)} files: graded " + _DECIDED[rule(ranked[1])][0].format(**words), losers


def _gradescope_metadata(path: Path) -> dict | None:
    """The export's metadata (submission folder name -> its metadata), None when there is none."""
    if not path.is_file():
        return None
    try:
        meta = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_RubyLoader)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not readable as Gradescope metadata: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: Gradescope metadata should map submission folders to their submitters")
    return _plain_keys(meta)


def _submitters(info: object, folder: str) -> list[tuple[str, str, list[str]]]:
    """(id, name, notes) of each submitter of a Gradescope submission."""
    people = info.get("submitters") if isinstance(info, dict) else None
    people = [p for p in people if isinstance(p, dict)] if isinstance(people, list) else []
    out: list[tuple[str, str, list[str]]] = []
    for number, person in enumerate(people or [{}], 1):
        sid, email = (str(person.get(k) or "").strip() for k in ("sid", "email"))
        notes = [] if sid else [f"no SID in Gradescope: id is the {'email' if email else 'folder name'}"]
        sid = sid or email or (f"{folder}_{number}" if len(people) > 1 else folder)
        if sid not in [s for s, _, _ in out]:
            out.append((sid, str(person.get("name") or "").strip(), notes))
    for sid, _, notes in out:
        if len(out) > 1:
            others = ", ".join(s for s, _, _ in out if s != sid)
            notes.append(f"group submission ({folder}) with {others}")
    return out


def _timestamp(value: object) -> float | None:
    if not isinstance(value, datetime):  # YAML reads Gradescope's `2024-02-01 10:00:00.0 -08:00` as one
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()


def _plain_keys(data: object) -> object:
    """Ruby's symbol keys (`:sid`) as plain ones (`sid`), at any depth."""
    if isinstance(data, dict):
        return {str(k).strip(":"): _plain_keys(v) for k, v in data.items()}
    return [_plain_keys(v) for v in data] if isinstance(data, list) else data


def _folder_names(keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Each (id, scope)'s folder name: the id where it is safe, else made safe; unique ignoring case."""
    taken: set[str] = set()
    out: dict[tuple[str, str], str] = {}
    for key in sorted(keys, key=lambda k: (_safe(k[0]) != k[0], _natural(k[0]), k)):
        names = (_safe(key[0]) + (f"-{n}" if n > 1 else "") for n in itertools.count(1))
        out[key] = next(name for name in names if name.casefold() not in taken)
        taken.add(out[key].casefold())
    return out


def _safe(sid: str) -> str:
    return re.sub(r"[^\w.@+-]", "_", sid).lstrip(".")[:100] or "_"


def _natural(text: str) -> list[tuple[int, int | str]]:
    return [(0, int(t)) if i % 2 else (1, t) for i, t in enumerate(re.split(r"([0-9]+)", text))]
