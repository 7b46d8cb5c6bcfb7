"""The audit trail: an append-only, hash-chained record of who did what, when and from where.

A low layer: every domain above it writes to it (``services.record``, and the flush hook
that logs every change of an audited table); it knows no domain but the users of auth. The
layers below it reach it through signals (``casework.signals.access_refused``).
"""
