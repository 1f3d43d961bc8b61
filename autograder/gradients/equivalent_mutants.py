"""Surviving mutants of reference/gradients.py that are equivalent: no correct test can tell them apart."""

EQUIVALENT = {
    "diagnose:d8692ef468": (
        "r = norms[0] / norms[-1] is computed in the input's floating dtype instead of float64: r differs by "
        "one rounding of that dtype, the handout fixes no precision for r, and a student's plain "
        "norms[0] / norms[-1] is exactly this mutant; non-finite norms, 0 and inf are handled identically"
    ),
    "clip_grad_norm_:00bdc750dc": (
        "'coef <= 1' also scales when coef is exactly 1, and multiplying a gradient by 1 leaves it "
        "bit-identical; the returned total is computed before and is the same"
    ),
}
