"""Time in a plan (DESIGN §9): the working-day calendar, response deadlines and lateness.

With ``policy.schedule`` on, a plan says which day each need is served and each pairing visited,
and in which order the day's stops are made. This package holds the rules of days and the
scheduler: :mod:`matcher.schedule.calendar` (working days, a provider's days, ``due`` and
``late``) and :mod:`matcher.schedule.official` (China's official holidays and make-up working
days, from the ``holidays`` library, for ``--calendar cn``); :mod:`matcher.schedule.routes` (a
route's timing and best stop order); :mod:`matcher.schedule.days` (what the days allow before
any plan: the arcs a scheduled problem keeps, working-day ranks); and the scheduler,
:mod:`matcher.schedule.planner` with :mod:`matcher.schedule.provider` (one provider's days)
and :mod:`matcher.schedule.work` (what that takes and gives), which
:mod:`matcher.problem.days` runs on a solver's solution.
"""
