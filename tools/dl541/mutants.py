"""Automatic mutants of a reference solution, made with mutmut's mutation operators.

Only code inside the solution regions is mutated (what a student writes). Each mutant is the
whole reference module with one node changed, graded as a `.py` submission: it is killed when
it loses a mark (or fails to run), and survives when it gets full marks. A survivor is either
killed by a new property or listed, with the reason it is equivalent, in
`autograder/NAME/equivalent_mutants.py` (`Assignment.equivalent_mutants`) as
`EQUIVALENT = {mutant_id: why}`; one that differs only in the device it computes on goes in
`CPU_ONLY = {mutant_id: why}` there, and a CUDA run of `dl541 verify` then checks that the tests
do kill it.
"""

from __future__ import annotations

import ast
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .assignment import Assignment
from .source_spans import definitions, solution_markers, statement_spans


@dataclass(frozen=True)
class Mutant:
    id: str
    function: str
    line: int
    before: str
    after: str
    source: str
    message_only: bool = False  # it changes nothing but the message of an exception it raises


class _DropRaiseMessages(ast.NodeTransformer):
    def visit_Raise(self, node: ast.Raise) -> ast.Raise:
        if isinstance(node.exc, ast.Call):
            node.exc = ast.Call(func=node.exc.func, args=[], keywords=[])
        return node


def _without_messages(tree: ast.AST) -> str:
    return ast.dump(_DropRaiseMessages().visit(tree))


def only_messages_differ(original: str, mutated: str) -> bool:
    """True when two sources differ only in the arguments (the message) of exceptions raised."""
    return _without_messages(ast.parse(original)) == _without_messages(ast.parse(mutated))


def generate(assignment: Assignment) -> list[Mutant]:
    """Every mutant of the solution regions of the assignment's reference, in a stable order."""
    import libcst as cst
    from mutmut.mutation.file_mutation import MutationVisitor, deep_replace
    from mutmut.mutation.mutators import mutation_operators
    from mutmut.mutation.pragma_handling import IgnoredCode

    code = assignment.reference.read_text()
    solution_lines = solution_markers(code, assignment.shown(assignment.reference)).solution_lines()
    wrapper = cst.MetadataWrapper(cst.parse_module(code))
    visitor = MutationVisitor(mutation_operators, IgnoredCode(set(), set(), set()), solution_lines)
    module = wrapper.visit(visitor)
    original = code.splitlines()
    original_shape = _without_messages(ast.parse(code))
    spans = [(span.start, span.end, node.name) for span, node in definitions(statement_spans(code))]
    mutants: dict[str, Mutant] = {}
    for mutation in visitor.mutations:
        mutated = deep_replace(module, mutation.original_node, mutation.mutated_node).code
        if mutated == code:
            continue
        try:
            message_only = _without_messages(ast.parse(mutated)) == original_shape
        except SyntaxError:
            continue
        line, before, after = _first_change(original, mutated.splitlines())
        function = _owner(spans, line)
        digest = hashlib.sha1(f"{function}\0{before.strip()}\0{after.strip()}".encode()).hexdigest()[:10]
        mutant_id = f"{function}:{digest}"
        mutants.setdefault(
            mutant_id, Mutant(mutant_id, function, line, before.strip(), after.strip(), mutated, message_only)
        )
    return sorted(mutants.values(), key=lambda m: (m.line, m.id))


def _owner(spans: list[tuple[int, int, str]], line: int) -> str:
    """The top-level function or class a line belongs to (a method counts as its class)."""
    return next((name for start, end, name in spans if start <= line <= end), "<module>")


def _first_change(a: list[str], b: list[str]) -> tuple[int, str, str]:
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            before = "\n".join(a[i1:i2]) if i2 > i1 else ""
            after = "\n".join(b[j1:j2]) if j2 > j1 else "(line removed)"
            return i1 + 1, before, after
    return 0, "", ""


def sample(mutants: list[Mutant], limit: int | None) -> list[Mutant]:
    """All mutants, or a fixed, evenly spread subset of `limit` of them."""
    if limit is None or limit >= len(mutants):
        return mutants
    ranked = sorted(mutants, key=lambda m: hashlib.sha1(m.id.encode()).hexdigest())
    return sorted(ranked[:limit], key=lambda m: (m.line, m.id))


def _listed(assignment: Assignment, table: str) -> dict[str, str]:
    path = assignment.equivalent_mutants
    if not path.is_file():
        return {}
    return dict(getattr(paths.load_module(path, f"dl541_equivalent_{assignment.name}"), table, {}))


def equivalent(assignment: Assignment) -> dict[str, str]:
    """Mutants shown to be equivalent on every device (`EQUIVALENT`): id -> why."""
    return _listed(assignment, "EQUIVALENT")


def cpu_only(assignment: Assignment) -> dict[str, str]:
    """Mutants identical on the CPU that the CUDA run must kill (`CPU_ONLY`): id -> why."""
    return _listed(assignment, "CPU_ONLY")


def question_of(assignment: Assignment) -> dict[str, str]:
    """Map each name a test receives to the first question whose tests receive it."""
    from .testfiles import parse_test_file

    owner: dict[str, str] = {}
    for path in assignment.question_files:
        tf = parse_test_file(path)
        for tc in tf.test_cases:
            for param in tc.body._get_func_params():
                if param != "env":
                    owner.setdefault(param, tf.name)
    return owner


def write_mutants(mutants: list[Mutant], out: Path) -> dict[str, Mutant]:
    """Write each mutant as out/mutant-N.py; map submission id to mutant."""
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for index, mutant in enumerate(mutants):
        path = out / f"mutant-{index:03d}.py"
        path.write_text(mutant.source)
        written[path.name] = mutant
    return written
