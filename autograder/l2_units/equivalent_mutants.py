"""Surviving mutants of reference/l2_units.py that no correct test can tell apart from it.

EQUIVALENT: the same behaviour on every device. CPU_ONLY: identical on the CPU, but computed on
the wrong device; `dl541 verify` on a CUDA machine checks that the same tests kill them.
"""

EQUIVALENT = {
    "standardized_ridge_predict:a5a831197c": (
        "X_test is used only in (X_test - mean) / scale and torch.where against the float64 training "
        "statistics, so type promotion computes in float64 anyway (every float32, half or integer value "
        "converts exactly): the predictions are bit-identical"
    ),
    "standardized_ridge_predict:02fe9a6d4e": (
        "fitting y + mean(y) instead of y - mean(y): the z-scored training columns sum to 0 (constant "
        "ones are 0), so Z^T (y + c) = Z^T (y - c) and the fitted w is the same up to rounding (for lam = 0 "
        "as well: pinv(Z) maps the all-ones vector to 0); the prediction Z_test w + mean(y) is unchanged"
    ),
}

CPU_ONLY = {
    "ridge_fit:0737a53f15": (
        "drops device=X.device from torch.eye: on CUDA X^T X / n + (a CPU eye) fails with mixed "
        "devices, which the CUDA run of lecture_examples (lam = 2 on device()) catches"
    ),
    "ridge_fit:aa9bac23b3": "device=None for torch.eye: the same as the mutant above",
}
