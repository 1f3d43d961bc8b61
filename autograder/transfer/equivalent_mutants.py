"""Surviving mutants of reference/transfer.py that are equivalent on the CPU.

Both build the new head on the default device instead of the pre-trained network's device:
identical on CPU; on CUDA the head is left on the CPU, which the CUDA run of the same tests
(`dl541 verify` on a GPU machine) catches.
"""

EQUIVALENT = {
    "transfer_model:3456b0a76f": "device=None for the new head: identical on CPU, caught on CUDA",
    "transfer_model:cd8a95c6d9": "no device for the new head: identical on CPU, caught on CUDA",
}
