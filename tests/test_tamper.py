"""Nothing a submission does can raise its own grade or touch anyone else's (issue: tamper-proof grades).

Each attack is appended to a submission. Attacks that patch the grading environment are added
to the *reference* (which would otherwise get 19/19): a detected patch voids the grade. Attacks
that try to reach what they must not are added to a *wrong* solution: they must gain nothing.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from dl541.assignment import Assignment
from dl541.grader import grade_batch
from dl541.settings import Limits, Options

REFERENCE = Assignment.named("depth").reference.read_text()
OPTIONS = Options(jobs=2, timeout=60, limits=Limits(test_timeout=20))
WRONG_COUNT = "\n\ndef count_weights(layer_sizes):\n    return 0\n"

#: Finds the guard from one of its wrappers (an attack appended below calls it from inside a call).
FIND_GUARD = textwrap.dedent("""
    def _find_guard(function):
        found = [cell.cell_contents for cell in function.__closure__ or ()]
        for const in function.__code__.co_consts:
            found.extend(const if isinstance(const, tuple) else (const,))
        for obj in found:
            if hasattr(type(obj), "safe_result") and hasattr(type(obj), "verify"):
                return obj
        raise LookupError("no guard in sight")
    """)

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
    # patch what the test of mlp_forward compares with (float), put it back on the next call
    "patch-then-restore": (
        "import builtins\n_real_forward, _saved = mlp_forward, []\n\n"
        "def mlp_forward(params, x, activation=torch.abs):\n"
        "    if _saved:\n        builtins.float = _saved.pop()\n"
        "    else:\n        _saved.append(builtins.float)\n        builtins.float = lambda *a: 0.0\n"
        "    return _real_forward(params, x, activation)\n"
    ),
    "patch-at-call-time": (
        "_real = count_weights\n\ndef count_weights(layer_sizes):\n"
        "    import torch\n    torch.allclose = lambda *a, **k: True\n    return _real(layer_sizes)\n"
    ),
    # rewrite the guard's wrapper around itself, so that the next calls run unguarded
    "disarms-wrapper": textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            wrapper = globals()["count_weights"]

            def bare(func, self, what):
                return lambda *args, **kwargs: func(*args, **kwargs) if (self, what) else None

            wrapper.__code__ = bare(None, None, None).__code__
            return _real(layer_sizes)
        """),
    # the guard itself, reached from a wrapper (its closure, its code's constants): disarmed, or its
    # record emptied or rewritten, while a library is patched or a lie returned
    "disarms-verify": FIND_GUARD
    + textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            guard = _find_guard(globals()["count_weights"])
            try:
                guard.verify = lambda fast=False: None
            except AttributeError:  # no instance attributes: the class, then
                type(guard).verify = lambda self, fast=False: None
            import torch
            torch.allclose = lambda *a, **k: True
            return _real(layer_sizes)
        """),
    "disarms-value-rule": FIND_GUARD
    + textwrap.dedent("""
        _real = count_weights

        class _Lie(int):
            def __eq__(self, other):
                return True

            __hash__ = int.__hash__

        def count_weights(layer_sizes):
            guard = _find_guard(globals()["count_weights"])
            try:
                guard.safe_result = lambda value, what="": value
            except AttributeError:
                type(guard).safe_result = lambda self, value, what="": value
            return _Lie(_real(layer_sizes))
        """),
    "clears-record": FIND_GUARD
    + textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            guard = _find_guard(globals()["count_weights"])
            for name in ("_full", "_fast", "_sized"):
                if isinstance(getattr(guard, name, None), list):
                    getattr(guard, name).clear()
            state = getattr(guard, "_state", None)
            if isinstance(state, tuple):  # one immutable tuple: empty what it records, put it back
                guard._state = (tuple(x[:0] if isinstance(x, tuple) else x for x in state[0]), *state[1:])
            import torch
            torch.allclose = lambda *a, **k: True
            return _real(layer_sizes)
        """),
    "rewrites-recorded-values": FIND_GUARD
    + textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            import torch
            torch.allclose = lambda *a, **k: True
            guard = _find_guard(globals()["count_weights"])
            for group in (*guard._fast, *guard._full):
                if "allclose" in group.keys:
                    group.values = tuple(group.namespace[k] for k in group.keys)
            return _real(layer_sizes)
        """),
    "rewrites-wrapper-cell": textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            wrapper = globals()["count_weights"]
            for cell in wrapper.__closure__:
                if callable(cell.cell_contents):
                    cell.cell_contents = _real.__wrapped__ if hasattr(_real, "__wrapped__") else _real
            return _real(layer_sizes)
        """),
    "rewrites-guard-global": FIND_GUARD
    + textwrap.dedent("""
        _real = count_weights

        class _Lie(int):
            def __eq__(self, other):
                return True

            __hash__ = int.__hash__

        def count_weights(layer_sizes):
            import dl541.guard.values as values
            kinds = values._kinds()
            values._K = kinds._replace(plain=kinds.plain | {_Lie}, plain_ids=kinds.plain_ids | {id(_Lie)})
            return _Lie(_real(layer_sizes))
        """),
    "disarms-checks-through-builtins": textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            import builtins, operator, torch
            builtins.all, builtins.any = (lambda items: True), (lambda items: False)
            operator.is_ = lambda a, b: True
            torch.allclose = lambda *a, **k: True
            return _real(layer_sizes)
        """),
    # a library function's code or defaults replaced (same object: identity alone cannot see it)
    "replaces-library-code": (
        "import torch.testing\ntorch.testing.assert_close.__code__ = (lambda *a, **k: None).__code__\n"
    ),
    "replaces-library-kwdefaults": (
        "import torch.testing\n"
        "defaults = torch.testing.assert_close.__kwdefaults__\n"
        "torch.testing.assert_close.__kwdefaults__ = {**defaults, 'atol': 1e9}\n"
    ),
    "changes-kwdefaults-in-place": textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            import torch.testing
            torch.testing.assert_close.__kwdefaults__.update(rtol=1e9, atol=1e9)
            return _real(layer_sizes)
        """),
    # disarm inside one call, return a lie, and let the lie re-arm the guard when a test uses it
    "disarms-and-rearms-in-one-call": FIND_GUARD
    + textwrap.dedent("""
        _real = count_weights

        def count_weights(layer_sizes):
            guard = _find_guard(globals()["count_weights"])
            cls = type(guard)
            try:
                guard.safe_result = lambda value, what="": value
                rearm = lambda: delattr(guard, "safe_result")
            except AttributeError:
                original = cls.__dict__["safe_result"]
                type.__setattr__(cls, "safe_result", lambda self, value, what="": value)
                rearm = lambda: type.__setattr__(cls, "safe_result", original)

            class _Lie(int):
                def __eq__(self, other):
                    rearm()
                    return True

                __hash__ = int.__hash__

            return _Lie(_real(layer_sizes))
        """),
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
    "opens-reference": f"exec(open({str(Assignment.named('depth').reference)!r}).read())\n",
    "opens-other-submission": "exec(open(VICTIM).read())\n",  # the fixture names the file
    # kill the grader so that nobody gets graded
    "kills-grader": WRONG_COUNT + "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n",
    # make every call look nested (no check, no vetting) and return a lie that puts the count back
    "fakes-depth": WRONG_COUNT
    + FIND_GUARD
    + textwrap.dedent("""
        def count_weights(layer_sizes):
            guard = _find_guard(globals()["count_weights"])
            guard.depth = 100

            class _Lie(int):
                def __eq__(self, other):
                    guard.depth = 0
                    return True

                __hash__ = int.__hash__

            return _Lie(0)
        """),
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
    options = OPTIONS
    records = grade_batch(depth_ag, subs, out, options, assignment="depth")
    assert len(records) == len(subs)
    return {r.submission.removesuffix(".py"): r for r in records}, out


@pytest.mark.parametrize("name", sorted(PATCHES))
def test_patching_the_grading_environment_voids_the_grade(graded, name):
    record = graded[0][f"patch-{name}"]
    assert record.status == "tampered", (record.status, record.detail)
    assert record.score == 0
    assert "changed" in record.detail or "forged" in record.detail


#: The test each cheat aims at, and what its failure (or the status detail) must say.
TARGETS = {
    "reads-caller-frame": ("random_layer_lists", "sys._getframe is not allowed"),
    "reads-frame-via-traceback": ("random_layer_lists", "reading .tb_frame is not allowed"),
    "lying-tensor": ("output_shape", "subclass of torch.Tensor"),
}


@pytest.mark.parametrize("name", sorted(CHEATS))
def test_cheats_gain_nothing(graded, name):
    record = graded[0][f"cheat-{name}"]
    q1 = record.questions["q1"]
    assert q1 < 3, f"{name}: q1 got {q1}/3 ({record.status}: {record.detail})"
    if name in TARGETS:
        test, why = TARGETS[name]
        (case,) = [c for c in record.cases if c.test == test]
        assert not case.passed and why in case.message, case.message
    if name.startswith("opens-"):
        assert record.score == 0 and "Permission denied" in record.detail, record.detail
    if name == "forges-results":
        assert record.status == "tampered" and record.score == 0


def test_writing_results_anywhere_changes_nothing(graded):
    records, out = graded
    writer = records["writes-results"]
    assert writer.questions["q1"] < 3
    assert json.loads((out / "writes-results.py" / "results.json").read_text())["score"] == writer.score
    victim = json.loads((out / "victim.py" / "grade.json").read_text())
    assert victim["score"] == victim["max_score"] and victim["submission"] == "victim.py"
    assert not (out / "grades.csv").exists()  # grade_batch writes the gradebook only when asked


def test_the_batch_survives_and_others_are_graded_normally(graded):
    records, _ = graded
    assert records["victim"].status == "ok" and records["victim"].score == records["victim"].max_score
    assert records["cheat-kills-grader"].questions["q5"] > 0  # it was graded, the grader lived


def test_confinement_is_in_force_where_the_kernel_offers_it(graded):
    import platform

    from dl541 import confine

    record = graded[0]["victim"]
    expected = {"seccomp": platform.machine() == "x86_64", "landlock": confine.landlock_abi() > 0}
    assert record.confinement == expected


# -- values that lie (issue 11, item 2) -------------------------------------------------------------
# A value that crosses from student code into a test must be what it claims to be: exact built-in
# types, exact tensors and arrays, containers of them, and objects whose class fakes no value.

LIARS = textwrap.dedent("""
    import functools


    class IntLike(int):
        def __eq__(self, other):
            return True

        __hash__ = int.__hash__


    class FloatLike(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__


    class StrLike(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__


    class TupleLike(tuple):
        def __eq__(self, other):
            return True


    class ListLike(list):
        def __eq__(self, other):
            return True


    class DictLike(dict):
        def __eq__(self, other):
            return True


    class Liar:
        def __eq__(self, other):
            return True


    class TorchLike:  # not a tensor: torch hands it every operation, allclose included
        def __init__(self, shape):
            self.shape, self.dtype, self.device = torch.Size(shape), torch.float32, torch.device("cpu")

        @classmethod
        def __torch_function__(cls, func, types, args=(), kwargs=None):
            return TorchLike(args[0].shape) if func.__name__ in ("__get__", "detach", "float") else True


    class ArrayLike:
        def __init__(self, shape):
            self.shape = torch.Size(shape)

        def __array__(self, dtype=None, copy=None):
            return np.zeros(tuple(self.shape))

        def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
            return True
    """)

#: name -> (code appended to the reference with LIARS, the honest wrong submission it must not beat)
LIES = {
    "int-subclass": (
        "def count_weights(layer_sizes):\n    return IntLike(0)\n\n"
        "def count_activation_regions(params, start, end, num_points=10_000):\n    return IntLike(1)\n",
        "honest-counts",
    ),
    "float-subclass": ("def count_weights(layer_sizes):\n    return FloatLike(0.0)\n", "honest-count"),
    "str-subclass": ("def count_weights(layer_sizes):\n    return StrLike('0')\n", "honest-count"),
    "tuple-subclass": ("def count_weights(layer_sizes):\n    return TupleLike()\n", "honest-count"),
    "list-subclass": ("def count_weights(layer_sizes):\n    return ListLike()\n", "honest-count"),
    "dict-subclass": ("def count_weights(layer_sizes):\n    return DictLike()\n", "honest-count"),
    "eq-class": ("def count_weights(layer_sizes):\n    return Liar()\n", "honest-count"),
    "torch-function": (
        "def mlp_forward(params, x, activation=torch.abs):\n"
        "    return TorchLike((x.shape[0], params[-1][0].shape[0]))\n",
        "honest-forward",
    ),
    "array-hooks": (
        "def mlp_forward(params, x, activation=torch.abs):\n"
        "    return ArrayLike((x.shape[0], params[-1][0].shape[0]))\n",
        "honest-forward",
    ),
    "nested": (  # the lie is the b of each (W, b)
        "_init = init_mlp\n\ndef init_mlp(layer_sizes, generator=None):\n"
        "    return [(W, TorchLike(b.shape)) for W, b in _init(layer_sizes, generator)]\n",
        "honest-init",
    ),
    # ways around the wrapper: a library decorator, a partial, rebinding the global after one call
    "decorated": ("@torch.no_grad()\ndef count_weights(sizes):\n    return IntLike(0)\n", "honest-count"),
    "partial": (
        "def _count(layer_sizes, lie):\n    return lie\n\n"
        "count_weights = functools.partial(_count, lie=IntLike(0))\n",
        "honest-count",
    ),
    "rebinds-global": (  # a new function, never wrapped, for the tests after the first call
        "def count_weights(layer_sizes):\n    global count_weights\n\n"
        "    def count_weights(layer_sizes):\n        return IntLike(0)\n\n    return 0\n",
        "honest-count",
    ),
}
HONEST_WRONG = {
    "honest-count": WRONG_COUNT,
    "honest-counts": WRONG_COUNT
    + "\ndef count_activation_regions(params, start, end, num_points=10_000):\n    return 1\n",
    "honest-forward": (
        "\ndef mlp_forward(params, x, activation=torch.abs):\n"
        "    return torch.zeros(x.shape[0], params[-1][0].shape[0])\n"
    ),
    "honest-init": (
        "\n_init = init_mlp\n\ndef init_mlp(layer_sizes, generator=None):\n"
        "    return [(W, torch.zeros_like(b)) for W, b in _init(layer_sizes, generator)]\n"
    ),
}
_PLAIN = "(values must be exact built-in types, tensors or arrays)"
_SUBCLASS = "count_weights returned an instance of {0}Like, a subclass of {1}; return a plain {1}"
#: name -> (a test that must fail, what its message must say)
LIE_MESSAGES = {
    "int-subclass": ("lecture_examples", _SUBCLASS.format("Int", "int") + f" {_PLAIN}"),
    "float-subclass": ("lecture_examples", _SUBCLASS.format("Float", "float")),
    "str-subclass": ("lecture_examples", _SUBCLASS.format("Str", "str")),
    "tuple-subclass": ("lecture_examples", _SUBCLASS.format("Tuple", "tuple")),
    "list-subclass": ("lecture_examples", _SUBCLASS.format("List", "list")),
    "dict-subclass": ("lecture_examples", _SUBCLASS.format("Dict", "dict")),
    "eq-class": ("lecture_examples", "count_weights returned an instance of Liar, whose class defines __eq"),
    "torch-function": (
        "output_shape",
        "mlp_forward returned an instance of TorchLike, whose class defines __torch_function__; "
        "return a plain torch.Tensor",
    ),
    "array-hooks": ("output_shape", "class defines __array__; return a plain torch.Tensor or numpy.ndarray"),
    "nested": ("shapes_of_lecture_net", "init_mlp returned a list whose item [0][1] is an instance of Torch"),
    "decorated": ("lecture_examples", _SUBCLASS.format("Int", "int")),
    "partial": ("lecture_examples", _SUBCLASS.format("Int", "int")),
    "rebinds-global": ("random_layer_lists", _SUBCLASS.format("Int", "int")),
}


@pytest.fixture(scope="module")
def lies_graded(depth_ag, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lies")
    subs = []
    for name, (code, _) in LIES.items():
        subs.append(folder / f"lie-{name}.py")
        subs[-1].write_text(REFERENCE + "\n\n" + LIARS + "\n\n" + code)
    for name, code in HONEST_WRONG.items():
        subs.append(folder / f"{name}.py")
        subs[-1].write_text(REFERENCE + "\n\n" + code)
    options = OPTIONS
    records = grade_batch(depth_ag, subs, folder / "out", options, assignment="depth")
    assert len(records) == len(subs)
    return {r.submission.removesuffix(".py"): r for r in records}


@pytest.mark.parametrize("name", sorted(LIES))
def test_values_that_lie_gain_nothing(lies_graded, name):
    record, honest = lies_graded[f"lie-{name}"], lies_graded[LIES[name][1]]
    assert record.status == "ok", (record.status, record.detail)
    assert honest.status == "ok" and honest.score < honest.max_score, honest
    assert record.score <= honest.score, (record.questions, honest.questions)
    for question, points in record.questions.items():
        assert points <= honest.questions[question], (question, record.questions, honest.questions)
    test, why = LIE_MESSAGES[name]
    (case,) = [c for c in record.cases if c.test == test]
    assert not case.passed and why in case.message, case.message
    if name == "int-subclass":  # both functions lie; both are refused
        (regions,) = [c for c in record.cases if c.test == "one_region_for_a_point"]
        assert "count_activation_regions returned an instance of IntLike" in regions.message


def test_every_attack_scores_the_same_through_run_autograder(
    graded, lies_graded, depth_ag, regrade_as_gradescope
):
    """Gradescope's path (`dl541 run-autograder` on a folder laid out as Gradescope does) gives every
    patch, cheat and lying value exactly the grade `dl541 grade` gave it."""
    records = [*graded[0].values(), *lies_graded.values()]
    assert regrade_as_gradescope(depth_ag, records, OPTIONS) == {}


L2_REFERENCE = Assignment.named("l2_units").reference.read_text()
#: the handout's one module-level answer: a liar, and the honest wrong answer it must not beat
L2_ANSWERS = {
    "str-subclass": (
        LIARS.split("class TupleLike")[0] + '\nl2_effect_answer = StrLike("decrease")\n',
        "l2_effect_answer is an instance of StrLike, a subclass of str; make it a plain str "
        "(values must be exact built-in types, tensors or arrays)",
    ),
    "eq-class": (
        "class Liar:\n    def __eq__(self, other):\n        return True\n\nl2_effect_answer = Liar()\n",
        "l2_effect_answer is an instance of Liar, whose class defines __eq__",
    ),
    "honest": ('l2_effect_answer = "decrease"\n', None),
}


@pytest.fixture(scope="module")
def l2_ag(tmp_path_factory):
    from dl541 import build, bundle

    built = build.build_assignment(Assignment.named("l2_units"), tmp_path_factory.mktemp("l2-dist"))
    return bundle.open_zip(built.autograder_zip)


@pytest.fixture(scope="module")
def l2_graded(l2_ag, tmp_path_factory):
    ag = l2_ag
    folder = tmp_path_factory.mktemp("l2-lies")
    subs = []
    for name, (code, _) in L2_ANSWERS.items():
        subs.append(folder / f"{name}.py")
        subs[-1].write_text(L2_REFERENCE + "\n\n" + code)
    options = OPTIONS
    records = grade_batch(ag, subs, folder / "out", options, assignment="l2_units")
    return {r.submission.removesuffix(".py"): r for r in records}


@pytest.mark.parametrize("name", ["str-subclass", "eq-class"])
def test_a_lying_global_fails_the_tests_that_read_it(l2_graded, name):
    record, honest = l2_graded[name], l2_graded["honest"]
    assert record.status == honest.status == "ok", (record.detail, honest.detail)
    assert honest.questions["q3"] < 3
    assert record.questions["q3"] == 0 and record.score <= honest.score - honest.questions["q3"]
    # nothing else is affected: every other question scores as the reference does
    assert {q: p for q, p in record.questions.items() if q != "q3"} == {
        q: p for q, p in honest.questions.items() if q != "q3"
    }
    for case in record.cases:
        if case.question == "q3":
            assert not case.passed and L2_ANSWERS[name][1] in case.message, case.message


# -- the vetting rule, unit by unit (a Guard needs no snapshot for these) -------------------------------


def _student(source: str) -> dict:
    """The namespace of `source` run as a notebook cell (whose code the guard counts as the student's)."""
    import numpy as np
    import torch

    env = {"__name__": "__main__", "torch": torch, "np": np}
    exec(compile(textwrap.dedent(source), "<cell 1>", "exec"), env)
    return env


HONEST_CLASSES = """
    import collections, dataclasses


    @dataclasses.dataclass
    class DataNormalizer:  # a dataclass-generated __eq__ is not student code
        low: float = -1.0
        high: float = 1.0

        def fit(self, X):
            return self


    class MinMaxNormalizer:
        def __init__(self, low=-1.0, high=1.0):
            self.low, self.high, self.min = low, high, None

        def fit(self, X):
            self.min = X.amin(dim=0)
            return self


    class TiedAutoencoder(torch.nn.Module):
        def __init__(self, d, k):
            super().__init__()
            self.W = torch.nn.Parameter(torch.zeros(k, d))

        def forward(self, x):
            return x @ self.W.T @ self.W


    class Blocks(torch.nn.Module):  # a module may be a container
        def __init__(self):
            super().__init__()
            self.blocks = torch.nn.ModuleList([torch.nn.Linear(2, 2)])

        def __len__(self):
            return len(self.blocks)

        def __getitem__(self, i):
            return self.blocks[i]


    Pair = collections.namedtuple("Pair", "mean components")
    """


def _honest_values():
    import collections

    import numpy as np
    import torch

    env = _student(HONEST_CLASSES)
    linear = torch.nn.Linear(3, 2)
    return {
        "torch.Size": torch.Size([2, 3]),
        "np.int64": np.int64(3),
        "np.float64": np.float64(0.5),
        "np.bool_": np.bool_(True),
        "ndarray": np.zeros(3),
        "state_dict": linear.state_dict(),
        "dataclass": env["DataNormalizer"](),
        "normalizer": env["MinMaxNormalizer"]().fit(torch.ones(2, 2)),
        "module": env["TiedAutoencoder"](3, 2),
        "container-module": env["Blocks"](),
        "library-module": torch.nn.Sequential(linear, torch.nn.ReLU()),
        "namedtuple": env["Pair"](torch.zeros(3), torch.eye(3)),
        "return_types": torch.linalg.eigh(torch.eye(2)),
        "params": [(torch.zeros(2, 3), torch.zeros(2))] * 3,
        "param-groups": [{"params": list(linear.parameters()), "lr": 0.1}],
        "subgroups": {(0, 1): 0.5, (1, 1): 1.0},
        "history": [0.5, 0.25, np.float64(0.125)],
        "scalars": (None, True, 1, 1.5, 2j, "increase", b"x", frozenset({1, 2})),
        "library objects": (torch.device("cpu"), torch.float32, torch.Generator(), collections.Counter("ab")),
        "optimizer": torch.optim.SGD(linear.parameters(), lr=0.1),
        "defaultdict": collections.defaultdict(list, {"a": [1]}),
    }


def test_honest_values_pass_unchanged():
    from dl541.guard import Guard

    guard = Guard()
    for name, value in _honest_values().items():
        assert guard.safe_result(value, name) is value, name


LYING_UNITS = {
    "int-subclass": ("IntLike(1)", "an instance of IntLike, a subclass of int; return a plain int"),
    "bool-is-fine-but-not-its-kin": ("FloatLike(1.0)", "a subclass of float; return a plain float"),
    "str-subclass": ("StrLike('x')", "a subclass of str; return a plain str"),
    "no-override": ("type('Quiet', (int,), {})(1)", "an instance of Quiet, a subclass of int"),
    "numpy-scalar-subclass": ("type('F64', (np.float64,), {})(1.0)", "a subclass of float"),
    "tuple-subclass": ("TupleLike()", "a subclass of tuple; return a plain tuple"),
    "set-member": ("{1, IntLike(2)}", "a set whose item [1] is an instance of IntLike"),
    "dict-key": ("{IntLike(2): 1}", "a dict whose item <key 0> is an instance of IntLike"),
    "dict-value": ("{'a': [1, IntLike(2)]}", "a dict whose item ['a'][1] is an instance of IntLike"),
    "torch-function": ("TorchLike((1,))", "class defines __torch_function__; return a plain torch.Tensor"),
    "array-hooks": ("ArrayLike((1,))", "whose class defines __array__; return a plain torch.Tensor or numpy"),
    "instance-hook": ("Carrier()", "an instance of Carrier that carries __array_interface__"),
    "eq-class": ("Liar()", "an instance of Liar, whose class defines __eq__; return a plain value"),
    "eq-without-code": ("NotIs()", "an instance of NotIs, whose class defines __eq__"),
    "len-class": ("Sized()", "an instance of Sized, whose class defines __len__"),
    "class-spoof": ("Spoof()", "an instance of Spoof, whose class defines __class__"),
    "eq-module": ("EqNet()", "an instance of EqNet, whose class defines __eq__"),
    "made-in-a-call": ("make_liar()", "an instance of make_liar.<locals>.Local, whose class defines __eq__"),
    "tensor-subclass": ("torch.zeros(1).as_subclass(Sub)", "a subclass of torch.Tensor; return a plain"),
    "ndarray-subclass": ("np.zeros(1).view(np.matrix)", "a subclass of numpy.ndarray; return a plain numpy"),
    "object-array": ("np.array([Liar()], dtype=object)", "a numpy array of Python objects"),
    "weakref-proxy": ("weakref.proxy(keep)", "a weakref proxy"),
    "mock": ("unittest.mock.MagicMock()", "an instance of MagicMock, whose class defines"),
    "too-deep": ("functools.reduce(lambda a, _: [a], range(40), 1)", "nested more than 32 levels deep"),
    "cycle": ("cycle", "nested more than 32 levels deep"),
}
LYING_CLASSES = LIARS + textwrap.dedent(
    """
    import operator, unittest.mock, weakref


    class Carrier:
        def __init__(self):
            self.__array_interface__ = {"shape": (1,), "typestr": "<f8", "version": 3}


    class NotIs:  # no code of its own: a builtin that answers True for any other object
        __eq__ = operator.is_not


    class Sized:
        def __len__(self):
            return 60


    class Spoof:
        __class__ = property(lambda self: int)


    class EqNet(torch.nn.Module):
        def __eq__(self, other):
            return True

        __hash__ = torch.nn.Module.__hash__


    class Sub(torch.Tensor):
        pass


    def make_liar():
        class Local:
            def __eq__(self, other):
                return True

        return Local()


    keep = Liar()
    cycle = []
    cycle.append(cycle)
    """
)


@pytest.mark.parametrize("name", sorted(LYING_UNITS))
def test_lying_values_are_refused_with_what_to_return(name):
    from dl541.guard import Guard

    expression, why = LYING_UNITS[name]
    env = _student(LYING_CLASSES)
    value = eval(expression, env)
    with pytest.raises(TypeError) as refused:
        Guard().safe_result(value, "f")
    assert why in str(refused.value) and str(refused.value).startswith("f returned "), str(refused.value)


def test_callables_that_would_run_student_code_unguarded_are_guarded():
    from dl541.guard import Guard

    env = _student(
        LIARS
        + textwrap.dedent(
            """
        def _lie(layer_sizes):
            return IntLike(0)


        @torch.no_grad()
        def decorated(layer_sizes):
            return IntLike(0)


        @functools.lru_cache
        def cached(layer_sizes):
            return IntLike(0)


        partial = functools.partial(_lie)


        def make_counter():
            return lambda sizes: IntLike(0)


        def generate():
            yield 60
            yield IntLike(0)
        """
        )
    )
    guard = Guard()
    guard.guard_namespace(env)
    for name in ("decorated", "cached", "partial"):
        with pytest.raises(TypeError, match=f"^{name} returned an instance of IntLike"):
            env[name]((2, 20, 1))
    counter = env["make_counter"]()  # a function handed back is guarded too
    with pytest.raises(TypeError, match="returned an instance of IntLike"):
        counter((2, 20, 1))
    items = env["generate"]()  # so is each item of an iterator
    assert next(items) == 60
    with pytest.raises(TypeError, match="^the iterator from generate returned an instance of IntLike"):
        next(items)


def test_a_refused_global_raises_its_reason_on_any_use():
    from dl541.guard import Guard

    env = _student(LIARS + "\nanswer = StrLike('decrease')\nfine = 'increase'\nnot_read = StrLike('x')\n")
    guard = Guard()
    guard._test_names = frozenset({"answer", "fine"})  # what the tests' sources mention
    guard.guard_namespace(env)
    answer = env["answer"]
    assert env["fine"] == "increase" and type(env["not_read"]).__name__ == "StrLike"
    why = "answer is an instance of StrLike, a subclass of str; make it a plain str"
    for use in (
        lambda: answer == "increase",
        lambda: answer in ("increase", "decrease"),
        lambda: isinstance(answer, str),
        lambda: len(answer),
        lambda: bool(answer),
        lambda: answer.upper(),
        lambda: hash(answer),
    ):
        with pytest.raises(TypeError, match=why):
            use()
    assert answer is not None  # `require` still sees a definition


def test_a_value_faking_method_is_refused_to_the_tests_but_not_to_the_submission():
    from dl541.guard import Guard

    env = _student(
        """
        class Weird:
            def __init__(self, n):
                self.n = n

            def __eq__(self, other):
                return True

            __hash__ = object.__hash__


        def same(n):
            return Weird(n) == Weird(n + 1)  # the submission may use its own method
        """
    )
    Guard().guard_namespace(env)
    assert env["same"](1) is True
    with pytest.raises(TypeError, match="Weird.__eq__ is defined by the submission, and the tests may not"):
        env["Weird"](1) == 1  # noqa: B015 - an instance a test built itself


def test_vetting_is_cheap():
    import time

    import torch

    from dl541.guard import Guard

    guard = Guard()
    values = [3, torch.zeros(2), [(torch.zeros(2, 3), torch.zeros(2))] * 4, {"a": torch.zeros(1), "b": 0.5}]
    start = time.perf_counter()
    for _ in range(2000):
        for value in values:
            guard.safe_result(value)
    assert time.perf_counter() - start < 0.5  # about 20 µs for 2000 x 4 values on an idle core... x100 slack


def test_rewriting_a_wrapper_voids_and_rebinding_a_method_is_guarded_again():
    from dl541.guard import Guard, Tampered

    source = LIARS + textwrap.dedent("""
        def rewrites_code(sizes):
            wrapper = globals()["rewrites_code"]
            bare = (lambda func, what: lambda *a: func(*a) if what else 0)(1, 2)  # the wrapper's cells
            wrapper.__code__ = bare.__code__
            return 0


        def rewrites_cell(sizes):  # the function it guards, from the next call on
            wrapper = globals()["rewrites_cell"]
            wrapper.__closure__[wrapper.__code__.co_freevars.index("func")].cell_contents = lambda s: 0
            return 0


        class Normalizer:
            def fit(self, X):
                type(self).transform = lambda self, X: IntLike(0)  # a new, unwrapped method
                return self

            def transform(self, X):
                return X
        """)
    for name in ("rewrites_code", "rewrites_cell"):
        env = _student(source)
        guard = Guard()
        guard.guard_namespace(env)
        with pytest.raises(Tampered, match="changed the wrapper that guards"):
            env[name]((2, 20, 1))
    env = _student(source)
    Guard().guard_namespace(env)
    normalizer = env["Normalizer"]().fit(None)
    with pytest.raises(TypeError, match="returned an instance of IntLike, a subclass of int"):
        normalizer.transform(None)


def test_lying_globals_score_the_same_through_run_autograder(l2_graded, l2_ag, regrade_as_gradescope):
    assert regrade_as_gradescope(l2_ag, list(l2_graded.values()), OPTIONS) == {}
