"""Provider push notifications, generic part: verified notifications become narrowed, coalesced jobs.

A provider's own signature check and body parsing live in its folder (`shared/providers/<name>/webhook.py`)
and are reached through `Provider.webhook`; nothing here names a provider.
"""
