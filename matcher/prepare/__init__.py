"""Preparation of a valid scenario for planning: travel times over the road network, the
eligibility predicates behind H2–H8, departments and merged duplicate submissions."""
