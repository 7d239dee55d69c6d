"""The planners' web pages: upload a scenario, solve it, follow it, read the report and
compare two plans, from a browser, in Chinese or English.

The pages are server-rendered Jinja2 templates with a little plain JavaScript; they hold no
data and need no key to load. Every figure comes from the ``/v1`` API, called by the page's
script with the county's key, which the planner enters once and the browser keeps for the
tab's session only (``sessionStorage``), never in a URL. Nothing is loaded from the network:
styles, scripts and the labels of both languages are served from this package.
"""

from api.web.pages import install

__all__ = ["install"]
