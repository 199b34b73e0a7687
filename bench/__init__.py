"""Benchmarks of qa (``make bench``); a package so that the tests can build the cost cases."""
