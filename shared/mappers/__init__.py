"""Pure mappers: provider JSON -> Personicle records (no I/O), one module (or a few) per provider."""
