"""One router per resource: plans (solve jobs), scenarios (validation), service (health,
solvers)."""
