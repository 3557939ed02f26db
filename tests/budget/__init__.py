"""App-wide request budgets."""
