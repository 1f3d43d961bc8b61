"""dl541: build, grade, check and verify the DL541 assignment pack."""

__version__ = "0.1.0"
