"""Benchmarks: figures measured in one run against baselines on the same machine (`make bench`).

Scripts that print figures, never timed tests. bench/run.py orchestrates; one module per benchmark.
"""
