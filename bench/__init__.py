"""The benchmark behind `make bench` (bench/run.py) and the reference page it compares with."""
