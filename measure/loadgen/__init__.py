"""The national load generator: ``generate_load`` (generate.py) plans the counts
(plan.py), writes the unit tree and users (organisation.py), then directives, tasks,
assignments and reports (work.py), all through COPY (copying.py)."""
