"""Province runs (issue 6): many generated counties, a province budget split into county
envelopes by a top-level LP over each county's value of money, and a province summary of the
counties' results.

- ``generate``: the counties of a province (class mix, seeds, names), its budget, the province
  pool that carries an envelope into a county scenario;
- ``curves``: :class:`ValueCurve`, a county's concave value-of-money curve;
- ``allocation``: the top-level LP (:func:`allocate_budget`) and the counties' regional weights;
- ``document``: the ``province.json`` document (curves, split, totals by class);
- ``envelopes``: orchestration (imports solvers, like :mod:`matcher.run`): a county's curve from
  its LP relaxation, the whole province run that writes the county files, re-solves that check a
  curve;
- ``summary``: :func:`summarise_province`, the province's KPIs from the sweep's CSV rows.

Import from the modules themselves: the package imports none of them, so that the command line
loads SciPy's optimiser only when a province command runs.
"""
