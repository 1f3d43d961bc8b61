"""Surviving mutants of reference/mtl.py that are equivalent: no correct test can tell them apart."""

EQUIVALENT = {
    "MultiTaskNet:2577a44b82": (
        "squeeze(+1) instead of squeeze(-1): forward accepts only a 2-D x, so head(h) always has shape "
        "(n, 1), where dimension 1 is dimension -1 (also for n = 1)"
    ),
}
