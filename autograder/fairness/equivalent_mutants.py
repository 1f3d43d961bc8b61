"""Surviving mutants of reference/fairness.py that are equivalent: no correct test can tell them apart."""

EQUIVALENT = {
    "balanced_sample_weights:66cca8a641": (
        "3 * labels + groups is another one-to-one code of (label, group) (0, 1, 3, 4 instead of 0..3): "
        "the subgroups, their sizes n_s and the count S of present ones are the same"
    ),
    "balanced_sample_weights:845cb60489": (
        "minlength=5 only adds an empty bin: sizes[subgroup] and the count of non-empty bins are unchanged"
    ),
    "balanced_sample_weights:e865146245": (
        "without minlength bincount stops at the largest code present; only empty bins go missing, "
        "so sizes[subgroup] and the count of non-empty bins are unchanged"
    ),
}
