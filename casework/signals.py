"""The app's signals (blinker, as Flask's own): how a lower layer lets a higher one react
without importing it. The sender knows nothing of who listens; the listener connects where
it lives.

- ``case_purging``: a case is being purged (``cases.services.purge_case``), after its own
  records went and before the case row goes. Sender: the case's id. A receiver removes or
  cuts what its domain holds of the case and returns ``{what: rows}`` for the purge's audit
  entry. Connected by ``casework.policing.services`` (activity links, alerts).
- ``access_refused``: a request was refused with a 403 (``core.errors``). Sender: the Flask
  app. Connected by ``casework.audit.services``, which records a "denied" entry.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

case_purging = _signals.signal("case-purging")
access_refused = _signals.signal("access-refused")


def gathered(results) -> dict[str, int]:
    """The counts returned by the receivers of a signal, in one mapping."""
    counts: dict[str, int] = {}
    for _receiver, value in results:
        counts.update(value or {})
    return counts
