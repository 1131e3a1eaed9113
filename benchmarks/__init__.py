"""Benchmarks of CSTO Editor against the tools people would use instead (issue 5)."""
