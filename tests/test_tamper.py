"""Nothing a submission does can raise its own grade or touch anyone else's (issue: tamper-proof grades).

Each attack is appended to a submission. Attacks that patch the grading environment are added
to the *reference* (which would otherwise get 19/19): a detected patch voids the grade. Attacks
that try to reach what they must not are added to a *wrong* solution: they must gain nothing.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from dl541 import paths
from dl541.grader import Options, grade_batch
from dl541.sandbox import Limits

REFERENCE = (paths.REFERENCE_DIR / "depth.py").read_text()
WRONG_COUNT = "\n\ndef count_weights(layer_sizes):\n    return 0\n"

PATCHES = {
    "torch-allclose": "import torch\ntorch.allclose = lambda *a, **k: True\n",
    "torch-equal": "import torch\ntorch.equal = lambda *a, **k: True\n",
    "torch-testing": "import torch.testing\ntorch.testing.assert_close = lambda *a, **k: None\n",
    "tensor-eq": "import torch\ntorch.Tensor.__eq__ = lambda a, b: True\n",
    "hypothesis-given": "import hypothesis\nhypothesis.given = lambda *a, **k: (lambda f: (lambda: None))\n",
    "hypothesis-internals": (
        "import hypothesis.core\n"
        "hypothesis.core.StateForActualGivenExecution.execute_once = lambda *a, **k: None\n"
    ),
    "otter-runner": (
        "from otter.test_files import exception_test\n"
        "exception_test.test_case.call_func = lambda self, env: None\n"
    ),
    "grading-code": "import dl541.sandbox\ndl541.sandbox._run_case = lambda *a: (True, 'passed')\n",
    "support-module": "import dl541_testing\ndl541_testing.run_property = lambda fn: None\n",
    "builtins": "import builtins\nbuiltins.isinstance = lambda *a: True\n",
    "sys-modules": "import sys, types\nsys.modules['hypothesis'] = types.ModuleType('hypothesis')\n",
    # live only between two calls: only the check after each call into the submission sees it
    "patch-then-restore": (
        "_real_forward, _saved = mlp_forward, []\n\n"
        "def mlp_forward(params, x, activation=torch.abs):\n"
        "    if _saved:\n        torch.allclose = _saved.pop()\n"
        "    else:\n        _saved.append(torch.allclose)\n        torch.allclose = lambda *a, **k: True\n"
        "    return _real_forward(params, x, activation)\n"
    ),
    "patch-at-call-time": (
        "_real = count_weights\n\ndef count_weights(layer_sizes):\n"
        "    import torch\n    torch.allclose = lambda *a, **k: True\n    return _real(layer_sizes)\n"
    ),
}

CHEATS = {
    # read the test's expected value from its frame
    "reads-caller-frame": WRONG_COUNT
    + textwrap.dedent("""
        def count_weights(layer_sizes):
            import sys
            return sys._getframe(1).f_locals.get("expected", 0)
        """),
    "reads-frame-via-traceback": WRONG_COUNT
    + textwrap.dedent("""
        def count_weights(layer_sizes):
            try:
                raise ValueError
            except ValueError as exc:
                return exc.__traceback__.tb_frame.f_back.f_locals.get("expected", 0)
        """),
    # find the grader's pipe and forge "passed" messages, then leave
    "forges-results": WRONG_COUNT
    + textwrap.dedent("""
        import json, os, struct
        for seq in range(200):
            body = json.dumps({"kind": "case", "question": "q1", "case": "q1 - 1", "passed": True,
                               "message": "ok"})
            frame = json.dumps({"seq": seq, "mac": "0" * 64, "body": body}).encode()
            for fd in range(3, 64):
                try:
                    os.write(fd, struct.pack("!i", len(frame)) + frame)
                except OSError:
                    pass
        os._exit(0)
        """),
    "finds-pipe-with-gc": WRONG_COUNT
    + textwrap.dedent("""
        import gc
        conns = [o for o in gc.get_objects() if type(o).__name__ == "Connection"]
        """),
    # a tensor subclass whose comparisons always succeed
    "lying-tensor": WRONG_COUNT
    + textwrap.dedent("""
        import torch
        class Liar(torch.Tensor):
            def __eq__(self, other):
                return True
        def mlp_forward(params, x, activation=torch.abs):
            return torch.zeros(x.shape[0], params[-1][0].shape[0]).as_subclass(Liar)
        """),
    # read the reference solution from the repository, and the other submissions
    "opens-reference": f"exec(open({str(paths.REFERENCE_DIR / 'depth.py')!r}).read())\n",
    "opens-other-submission": "exec(open(VICTIM).read())\n",  # the fixture names the file
    # kill the grader so that nobody gets graded
    "kills-grader": WRONG_COUNT + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
    "rewrites-support-module": WRONG_COUNT
    + textwrap.dedent("""
        import dl541_testing
        with open(dl541_testing.__file__, "a") as f:
            f.write("\\ndef run_property(fn):\\n    pass\\n")
        """),
}


@pytest.fixture(scope="module")
def graded(depth_ag, tmp_path_factory):
    folder = tmp_path_factory.mktemp("attacks")
    out = folder / "out"
    out.mkdir()
    (out / "victim.py").mkdir()
    subs = []
    for name, code in PATCHES.items():
        (folder / f"patch-{name}.py").write_text(REFERENCE + "\n\n" + code)
        subs.append(folder / f"patch-{name}.py")
    (folder / "victim.py").write_text(REFERENCE)
    for name, code in CHEATS.items():
        if name.startswith("opens-"):  # nothing of its own: all it has is what it reads
            code = code.replace("VICTIM", repr(str(folder / "victim.py")))
        else:
            code = REFERENCE + "\n\n" + code
        (folder / f"cheat-{name}.py").write_text(code)
        subs.append(folder / f"cheat-{name}.py")
    writer = (
        REFERENCE
        + WRONG_COUNT
        + textwrap.dedent(f"""
        import json
        for target in [{str(out / "grades.csv")!r}, {str(out / "victim.py" / "grade.json")!r},
                       {str(out / "writes-results.py" / "results.json")!r}, "results.json"]:
            try:
                with open(target, "w") as f:
                    json.dump({{"score": 19, "tests": []}}, f)
            except OSError:
                pass
        """)
    )
    (folder / "writes-results.py").write_text(writer)
    subs.append(folder / "writes-results.py")
    subs.append(folder / "victim.py")
    options = Options(jobs=2, timeout=60, limits=Limits(test_timeout=20))
    records = grade_batch(depth_ag, subs, out, options, assignment="depth")
    assert len(records) == len(subs)
    return {r["submission"].removesuffix(".py"): r for r in records}, out


@pytest.mark.parametrize("name", sorted(PATCHES))
def test_patching_the_grading_environment_voids_the_grade(graded, name):
    record = graded[0][f"patch-{name}"]
    assert record["status"] == "tampered", (record["status"], record["detail"])
    assert record["score"] == 0
    assert "changed" in record["detail"] or "forged" in record["detail"]


#: The test each cheat aims at, and what its failure (or the status detail) must say.
TARGETS = {
    "reads-caller-frame": ("random_layer_lists", "sys._getframe is not allowed"),
    "reads-frame-via-traceback": ("random_layer_lists", "reading .tb_frame is not allowed"),
    "lying-tensor": ("output_shape", "subclass of torch.Tensor"),
}


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_cheats_gain_nothing(graded, name):
    record = graded[0][f"cheat-{name}"]
    q1 = record["questions"]["q1"]
    assert q1 < 3, f"{name}: q1 got {q1}/3 ({record['status']}: {record['detail']})"
    if name in TARGETS:
        test, why = TARGETS[name]
        (case,) = [c for c in record["cases"] if c["test"] == test]
        assert not case["passed"] and why in case["message"], case["message"]
    if name.startswith("opens-"):
        assert record["score"] == 0 and "Permission denied" in record["detail"], record["detail"]
    if name == "forges-results":
        assert record["status"] == "tampered" and record["score"] == 0


def test_writing_results_anywhere_changes_nothing(graded):
    records, out = graded
    writer = records["writes-results"]
    assert writer["questions"]["q1"] < 3
    assert json.loads((out / "writes-results.py" / "results.json").read_text())["score"] == writer["score"]
    victim = json.loads((out / "victim.py" / "grade.json").read_text())
    assert victim["score"] == victim["max_score"] and victim["submission"] == "victim.py"
    assert not (out / "grades.csv").exists()  # grade_batch writes the gradebook only when asked


def test_the_batch_survives_and_others_are_graded_normally(graded):
    records, _ = graded
    assert (
        records["victim"]["status"] == "ok" and records["victim"]["score"] == records["victim"]["max_score"]
    )
    assert records["cheat-kills-grader"]["questions"]["q5"] > 0  # it was graded, the grader lived


def test_confinement_is_in_force_where_the_kernel_offers_it(graded):
    import platform

    from dl541 import confine

    record = graded[0]["victim"]
    expected = {"seccomp": platform.machine() == "x86_64", "landlock": confine.landlock_abi() > 0}
    assert record["confinement"] == expected
