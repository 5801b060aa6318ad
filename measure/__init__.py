"""Measurement: a synthetic national dataset (``generate_load``) and timings of the pages
and jobs that must stay fast on it (``benchmark``). Nothing in the product imports this."""
