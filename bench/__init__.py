"""The benchmark of issue 11: ``python -m bench`` (see ``bench.run``) and the load test ``bench.load``."""
