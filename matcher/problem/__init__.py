"""The compiled problem: the scenario as numpy arrays for solvers, raw solutions and their score,
the conversion between raw solutions and plans, and the scenario index the evaluator and reports
look things up in. Solvers import only its arrays, solution and score modules."""
