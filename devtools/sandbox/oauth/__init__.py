"""The OAuth machinery every imitated authorization server shares: clients, codes, grants, consent, knobs."""
