"""Honest training habits are not punished by the confinement (issue 11, item 5).

A grading child runs one thread in one process (seccomp refuses new ones). So, in that child:
- `torch.set_num_threads(n)` / `torch.set_num_interop_threads(n)` change nothing (grading keeps one
  thread, so the arithmetic is the same whatever --jobs is);
- a DataLoader with `num_workers > 0` loads its batches in the child itself, as `num_workers=0` does;
- starting a process or a thread is refused with an exception that says what to change.
Everywhere else (the grader's own process, tests run in-process) torch and Python behave as usual.

Each habit is written into `train_autoencoder` of the autoencoder_pca reference (37/37 under plain
Python), and all the submissions are graded in one batch.
"""

from __future__ import annotations

import json

import pytest
import torch

from dl541 import build, bundle, habits
from dl541.assignment import Assignment
from dl541.grader import grade_batch
from dl541.settings import Limits, Options

ASSIGNMENT = "autoencoder_pca"
OPTIONS = Options(jobs=2, timeout=300, limits=Limits(test_timeout=60))
#: What every refusal of a process or a thread says, whichever call asked for one.
RULE = "grading runs each submission in one process without threads"
CHANGE = "do the work in this process"

_OPTIMIZER = "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
_BATCHES = (
    "        order = torch.randperm(n, generator=generator).to(X.device)\n"
    "        for start in range(0, n, batch_size):\n"
    "            batch = X[order[start : start + batch_size]]\n"
)


def _train_autoencoder_with(reference: str, before_optimizer: str = "", batches: str | None = None) -> str:
    """The reference, with lines added to train_autoencoder before its optimizer, or its batching replaced."""
    for anchor in (_OPTIMIZER, _BATCHES):
        assert reference.count(anchor) == 1, f"reference/{ASSIGNMENT}.py no longer has:\n{anchor}"
    source = reference.replace(_OPTIMIZER, before_optimizer + _OPTIMIZER)
    return source if batches is None else source.replace(_BATCHES, batches)


def _with_data_loader(reference: str, **options: object) -> str:
    """train_autoencoder drawing its shuffled mini-batches from a DataLoader built with `options`."""
    extra = "".join(f", {name}={value!r}" for name, value in options.items())
    loader = (
        "    from torch.utils.data import DataLoader, TensorDataset\n\n"
        "    loader = DataLoader(\n"
        f"        TensorDataset(X), batch_size=batch_size, shuffle=True, generator=generator{extra}\n"
        "    )\n"
    )
    return _train_autoencoder_with(reference, loader, "        for (batch,) in loader:\n")


def habit_submissions() -> dict[str, str]:
    """{name: source} of the submissions below; each but the refused ones earns 37/37 under plain Python."""
    reference = Assignment.named(ASSIGNMENT).reference.read_text()
    return {
        # at the top of the notebook, and again in the training function
        "set-num-threads": _train_autoencoder_with(reference, "    torch.set_num_threads(4)\n")
        + "\n\ntorch.set_num_threads(4)\ntorch.set_num_interop_threads(2)\n",
        "data-loader": _with_data_loader(reference, num_workers=2),
        "data-loader-persistent": _with_data_loader(
            reference, num_workers=2, persistent_workers=True, prefetch_factor=4, pin_memory=True
        ),
        "subprocess": _train_autoencoder_with(
            reference, "    import subprocess\n\n    subprocess.run(['true'], check=True)\n"
        ),
        # one refused start per top-level statement: each is its own cell, with its own error
        "starts-at-top-level": reference
        + "\n\nimport multiprocessing\nimport subprocess\nimport threading\n\n"
        + "subprocess.run(['true'])\n"
        + "threading.Thread(target=print).start()\n"
        + "multiprocessing.Pool(2)\n",
    }


#: Submissions that must get every point, with status ok.
FULL_MARKS = ("set-num-threads", "data-loader", "data-loader-persistent")
#: Submissions whose training function starts a process: the question that trains (q4) loses its
#: points, and its failures name the call that was refused.
REFUSED_IN_TRAINING = {"subprocess": "subprocess.Popen is not allowed"}
#: Submissions that start processes or threads at top level: each such cell fails with what to
#: change, and no test loses anything.
REFUSED_AT_TOP_LEVEL = {
    "starts-at-top-level": [
        "PermissionError: " + RULE + ": subprocess.Popen is not allowed",
        "RuntimeError: " + RULE + ": starting a thread (threading.Thread) is not allowed",
        "PermissionError: " + RULE + ": a multiprocessing pool, queue or lock",
    ]
}


@pytest.fixture(scope="module")
def ae_ag(tmp_path_factory):
    built = build.build_assignment(Assignment.named(ASSIGNMENT), tmp_path_factory.mktemp("dist"))
    return bundle.open_zip(built.autograder_zip)


@pytest.fixture(scope="module")
def graded(ae_ag, tmp_path_factory):
    folder = tmp_path_factory.mktemp("habits")
    subs = []
    for name, source in habit_submissions().items():
        (folder / f"{name}.py").write_text(source)
        subs.append(folder / f"{name}.py")
    out = folder / "out"
    options = OPTIONS
    records = grade_batch(ae_ag, subs, out, options, assignment=ASSIGNMENT)
    assert len(records) == len(subs)
    return {r.submission.removesuffix(".py"): r for r in records}, out


@pytest.mark.parametrize("name", FULL_MARKS)
def test_honest_habits_get_full_marks(graded, name):
    record = graded[0][name]
    failed = [f"{c.test}: {c.message[-300:]}" for c in record.cases if not c.passed]
    assert (record.status, record.score) == ("ok", record.max_score), (record.detail, failed)
    assert record.attempts == 1  # the child never died


@pytest.mark.parametrize("name", sorted(REFUSED_IN_TRAINING))
def test_a_refused_process_costs_only_the_tests_that_start_it(graded, ae_ag, name):
    record = graded[0][name]
    assert record.status == "ok" and record.attempts == 1, record.detail
    full = {tf.name: tf.possible for tf in ae_ag.test_files}
    assert dict(record.questions, q4=0.0) == dict(full, q4=0.0)
    # the tests that train fail; one that starts no training (0 epochs) keeps its points
    assert record.questions["q4"] < full["q4"] / 2
    for case in record.failed_cases():
        message = case.message
        assert REFUSED_IN_TRAINING[name] in message and RULE in message and CHANGE in message, message


@pytest.mark.parametrize("name", sorted(REFUSED_AT_TOP_LEVEL))
def test_refusals_at_top_level_say_what_to_change(graded, name):
    records, out = graded
    record = records[name]
    assert record.score == record.max_score and record.attempts == 1, record.detail
    assert record.status == "error"
    on_disk = json.loads((out / f"{name}.py" / "grade.json").read_text())
    errors = [f"{e['kind']}: {e['message']}" for e in on_disk["load_errors"]]
    assert len(errors) == len(REFUSED_AT_TOP_LEVEL[name]), errors
    for error, expected in zip(errors, REFUSED_AT_TOP_LEVEL[name], strict=True):
        assert error.startswith(expected) and CHANGE in error, error
        assert expected.split(": ", 1)[1] in on_disk["detail"]


def test_every_habit_grades_the_same_through_run_autograder(graded, ae_ag, regrade_as_gradescope):
    assert regrade_as_gradescope(ae_ag, list(graded[0].values()), OPTIONS) == {}


def test_thread_settings_work_normally_outside_a_confined_child():
    habits.allow()  # what the grader does before its snapshot (here: once per process)
    assert torch.set_num_threads.__wrapped__ is torch._C.set_num_threads
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(3)
        assert torch.get_num_threads() == 3
        with pytest.raises(RuntimeError, match="expects a positive integer"):
            torch.set_num_threads(0)
    finally:
        torch.set_num_threads(before)


def test_in_a_confined_child_habits_change_nothing_or_say_what_to_change(monkeypatch):
    import threading

    from torch.utils.data import DataLoader, TensorDataset

    habits.allow()
    X = torch.arange(50.0).reshape(25, 2)

    def three_epochs(**options):
        shuffled = torch.Generator().manual_seed(3)
        loader = DataLoader(TensorDataset(X), batch_size=4, shuffle=True, generator=shuffled, **options)
        return [torch.cat([batch for (batch,) in loader]) for _ in range(3)]

    expected = three_epochs()
    before = torch.get_num_threads()
    monkeypatch.setattr(habits, "_CONFINED", True)  # as `_confine` sets it; no seccomp here
    torch.set_num_threads(before + 1)
    torch.set_num_interop_threads(4)
    assert torch.get_num_threads() == before
    with pytest.raises(RuntimeError, match="expects an int, but got str"):
        torch.set_num_threads("4")
    got = three_epochs(num_workers=2, timeout=5)  # no process started: pytest would hang on one
    assert all(torch.equal(a, b) for a, b in zip(got, expected, strict=True))
    with pytest.raises(RuntimeError, match=f"{RULE}: starting a thread"):
        threading.Thread(target=print).start()
