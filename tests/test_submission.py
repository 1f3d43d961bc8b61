import json
import zipfile

import pytest

from dl541 import submission
from dl541.notebook_builder import DEMO_MARKER, DEMO_TAG


def _nb(*cells):
    return json.dumps({"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def _code(src, tags=None):
    return {"cell_type": "code", "source": src, "metadata": {"tags": tags or []}, "outputs": []}


def test_notebook_cells_without_otter_magics_and_demos(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_text(
        _nb(
            _code("import otter\ngrader = otter.Notebook('a.ipynb')"),
            _code(["%matplotlib inline\n", "x = 1\n"]),
            {"cell_type": "markdown", "source": "# hi", "metadata": {}},
            _code("plot()", tags=[DEMO_TAG]),
            _code("grader.check('q1')\ny = x + 1"),
            _code(f"{DEMO_MARKER}\nz = 2"),  # its tag lost by an editor: the marker still says demo
        )
    )
    chunks = submission.read_chunks(path)
    assert [c.label for c in chunks] == ["cell 2", "cell 5"]
    assert "# (removed for grading) %matplotlib inline" in chunks[0].source
    assert "grader" not in chunks[1].source and "y = x + 1" in chunks[1].source


def test_syntax_error_cell_is_kept_to_be_reported(tmp_path):
    path = tmp_path / "a.ipynb"
    path.write_text(_nb(_code("def (:\n    pass")))
    assert submission.read_chunks(path)[0].source == "def (:\n    pass"


def test_py_and_zip(tmp_path):
    py = tmp_path / "s.py"
    py.write_text("x = 1\n")
    assert submission.read_chunks(py) == [submission.Chunk("script line 1", "x = 1\n")]
    py.write_text("@dec\ndef f():\n    pass\n\n\na = 1; b = 2\n")
    assert [c.label for c in submission.read_chunks(py)] == ["script line 1", "script line 6"]
    py.write_text("def (:\n")
    assert submission.read_chunks(py) == [submission.Chunk("script", "def (:\n")]
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.writestr("depth.ipynb", _nb(_code("x = 2")))
        zf.writestr("tests/q1.py", "name = 'q1'")
        zf.writestr("__MACOSX/depth.ipynb", "junk")
    assert submission.read_chunks(zpath, "depth")[0].source == "x = 2"


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("a.txt", b"x = 1", "not '.txt'"),
        ("a.ipynb", b'{"cells": [', "invalid JSON"),
        ("a.ipynb", b'{"worksheets": []}', "no 'cells' list"),
        ("a.ipynb", _nb().encode(), "no code to grade"),
        ("a.py", b"\xff\xfe\x00bad", "not UTF-8"),
        ("a.zip", b"PK not really", "not a readable zip"),
    ],
)
def test_invalid_submissions_say_why(tmp_path, filename, content, message):
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(submission.InvalidSubmission, match=message):
        submission.read_chunks(path)


def test_zip_without_or_with_several_notebooks(tmp_path):
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(submission.InvalidSubmission, match="holds no notebook"):
        submission.read_chunks(empty)
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as zf:
        zf.writestr("a.ipynb", _nb(_code("x = 1")))
        zf.writestr("b.ipynb", _nb(_code("x = 2")))
    with pytest.raises(submission.InvalidSubmission, match="several .ipynb"):
        submission.read_chunks(two, "depth")
