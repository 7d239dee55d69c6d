"""The service loop's need register (DESIGN §10), free of any store or web framework.

Needs arrive, are given to a person with a date by publishing a plan, are started, resolved or
closed, and households say how it went. This package holds the rules of that loop once:
statuses and their transitions (:mod:`.transitions`), what publishing a plan does to the
register (:mod:`.publish`), the scenario a re-plan is built from (:mod:`.scenario`), the
service KPIs read from the event history (:mod:`.kpis`), and an in-memory register that
``matcher replay`` plays a month through (:mod:`.memory`). The API's durable store applies
the same functions inside its transactions.
"""
