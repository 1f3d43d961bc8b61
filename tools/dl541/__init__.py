"""dl541: build, grade, check and verify the DL541 assignment pack."""

import os as _os

__version__ = "0.1.0"

# Grading runs one BLAS/OpenMP thread per submission: identical arithmetic whatever --jobs is,
# and no thread pool for the confined children (which may not start threads) to rebuild.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")
# Ask NVML, not the driver, whether CUDA exists, so that forked grading children can start CUDA.
_os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
