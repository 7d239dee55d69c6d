"""Advice on blind spots: fixes sized against what a plan leaves free and ranked by LP prices,
what-if changes of a scenario, and confirmation of fixes by re-solving."""
