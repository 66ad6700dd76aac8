"""Helpers for tests/eval/evaluate.py: value generators, corpus templates, benign sampler, scorer, report."""
