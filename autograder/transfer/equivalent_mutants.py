"""Surviving mutants of reference/transfer.py that no correct test can tell apart from it on the CPU.

CPU_ONLY: both build the new head on the default device instead of the pre-trained network's
device; on CUDA the head is left on the CPU, which q2's `chopped_body_and_a_new_head` (the head's
device against the pre-trained parameters') catches; `dl541 verify` on a CUDA machine checks it.
"""

CPU_ONLY = {
    "transfer_model:3456b0a76f": "device=None for the new head",
    "transfer_model:cd8a95c6d9": "no device for the new head",
}
