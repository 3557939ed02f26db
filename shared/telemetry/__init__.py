"""What operators see of a running instance: OpenTelemetry metrics and spans, exported to Azure Monitor.

Off unless switched on: `APPLICATIONINSIGHTS_CONNECTION_STRING` (set by the template) exports to
Application Insights through the Azure Monitor OpenTelemetry distro; `TELEMETRY_CONSOLE=true` prints to the
console locally. Without either, the OpenTelemetry API's no-op providers make every call here free.
No attribute ever holds a token, a code or a health value: only provider and stream names, counts,
status classes, scrubbed URLs (scheme, host and path) and ids.
"""
