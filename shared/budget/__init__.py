"""App-wide request budgets: the limits a provider sets for the whole app, shared by every worker."""
