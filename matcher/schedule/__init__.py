"""Time in a plan (DESIGN §9): the working-day calendar, response deadlines and lateness.

With ``policy.schedule`` on, a plan says which day each need is served and each pairing visited,
and in which order the day's stops are made. This package holds what the scenario alone decides
about days: :mod:`matcher.schedule.calendar` (working days, a provider's days, ``due`` and
``late``) and :mod:`matcher.schedule.official` (China's official holidays and make-up working
days, from the ``holidays`` library, for ``--calendar cn``).
"""
