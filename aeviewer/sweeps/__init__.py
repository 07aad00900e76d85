"""Sweeps: a grid of training runs, trained in parallel processes, resumably, summarised.

:mod:`~aeviewer.sweeps.grid` expands options with lists of values into named runs;
:mod:`~aeviewer.sweeps.plan` decides what each run needs given what the sweep folder holds;
:mod:`~aeviewer.sweeps.scheduler` runs ``aeviewer train`` processes; and
:mod:`~aeviewer.sweeps.summary` writes one row per run. ``aeviewer sweep`` ties them together.
"""
