"""Route modules of the sandbox: every module here with a `register(router)` function is loaded.

Add a provider's data endpoints by dropping a module in this package (see the package docstring
of `devtools.sandbox`).
"""
