"""Surviving mutants of reference/depth.py that are equivalent: no correct test can tell them apart."""

EQUIVALENT = {
    "mlp_forward:db89827cca": (
        "only the text of the error message changes (it quotes params[1]'s input width instead of "
        "params[0]'s); the handout asks for a clear message, not its wording"
    ),
    "count_activation_regions:14cd3108d7": (
        "drops device=start.device from linspace: identical on CPU; on CUDA the mixed-device "
        "arithmetic fails, which the CUDA run of the same tests catches"
    ),
    "count_activation_regions:8678e51312": (
        "device=None for linspace: identical on CPU; caught on CUDA by the same tests"
    ),
    "count_activation_regions:6070c2c49b": (
        "linspace in the default dtype: t differs from float64 t by float32 rounding only, which "
        "moves sample points by < 1e-7 of the segment; a region boundary would have to fall in that gap"
    ),
    "count_activation_regions:8e0d048807": (
        "dtype=None for linspace: the same as the default-dtype mutant above"
    ),
}
