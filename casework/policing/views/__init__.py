"""Screens of community policing and early warning. Each view: load (404), check role and
area (403), validate the form, call one service, commit, flash, redirect.

The blueprint lives in ``common``; each module below registers its screens on it, in this order."""

from casework.policing.views import (
    activities,
    alerts,
    committees,
    referrals,
    sms,
    thresholds,
    units,
)
from casework.policing.views.common import bp

__all__ = ["activities", "alerts", "bp", "committees", "referrals", "sms", "thresholds", "units"]
