"""Google Fit REST, ending at the end of 2026 (docs/providers/google_fit.md)."""
