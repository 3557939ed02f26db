"""HTTP handlers behind the function entry points: parse, authenticate, call a service, answer."""
