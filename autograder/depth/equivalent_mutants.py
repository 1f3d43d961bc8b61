"""Surviving mutants of reference/depth.py that no correct test can tell apart from it.

EQUIVALENT: the same behaviour on every device. CPU_ONLY: identical on the CPU, but computed on
the wrong device; `dl541 verify` on a CUDA machine checks that the same tests kill them.
"""

EQUIVALENT = {
    "mlp_forward:db89827cca": (
        "only the text of the error message changes (it quotes params[1]'s input width instead of "
        "params[0]'s); the handout asks for a clear message, not its wording"
    ),
    "count_activation_regions:6070c2c49b": (
        "linspace in the default dtype: t differs from float64 t by float32 rounding only, which "
        "moves sample points by < 1e-7 of the segment; a region boundary would have to fall in that gap"
    ),
    "count_activation_regions:8e0d048807": (
        "dtype=None for linspace: the same as the default-dtype mutant above"
    ),
}

CPU_ONLY = {
    "count_activation_regions:14cd3108d7": (
        "drops device=start.device from linspace: on CUDA the mixed-device arithmetic fails"
    ),
    "count_activation_regions:8678e51312": "device=None for linspace: the same as the mutant above",
}
