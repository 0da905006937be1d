"""Helpers for scripts/build_sample_data.py: each module builds one part of sample_data/."""
