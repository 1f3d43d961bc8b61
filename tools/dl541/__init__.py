"""dl541: build, grade, check and verify the DL541 assignment pack."""

import os as _os

__version__ = "0.1.0"

# Grading runs one BLAS/OpenMP thread per submission: identical arithmetic whatever --jobs is,
# and no thread pool for the confined children (which may not start threads) to rebuild.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")
# Ask NVML, not the driver, whether CUDA exists, so that forked grading children can start CUDA.
_os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")


def _register_otter_without_its_api() -> None:
    # `import otter` runs otter/__init__.py, which imports Otter's programmatic API for its CLI:
    # the notebook exporters (nbconvert) and more, ~0.5 s of every grading process, which needs
    # only otter.test_files, otter.run and otter.generate. Unless something has imported otter
    # already, register the package without running that file: its subpackages import as usual.
    import importlib.util
    import sys

    if "otter" in sys.modules:
        return
    spec = importlib.util.find_spec("otter")
    if spec is None or spec.submodule_search_locations is None:
        return  # no otter installed: the import that needs it will say so
    package = importlib.util.module_from_spec(spec)
    sys.modules["otter"] = package
    from otter.version import __version__ as otter_version

    package.__version__ = otter_version


_register_otter_without_its_api()
