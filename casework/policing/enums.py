"""Code-level choices of community policing."""

from __future__ import annotations

from casework.enums import TitledEnum, set_titles
from casework.i18n import _l


class Force(TitledEnum):
    POLICE = "police"
    GENDARMERIE = "gendarmerie"
    GARDE_NATIONALE = "garde_nationale"
    MIXED = "mixed"


set_titles(
    Force,
    {
        Force.POLICE: _l("police"),
        Force.GENDARMERIE: _l("gendarmerie"),
        Force.GARDE_NATIONALE: _l("national guard"),
        Force.MIXED: _l("mixed"),
    },
)


class Urgency(TitledEnum):
    LOW = "1"
    MEDIUM = "2"
    HIGH = "3"


set_titles(
    Urgency,
    {
        Urgency.LOW: _l("1 – watch"),
        Urgency.MEDIUM: _l("2 – act soon"),
        Urgency.HIGH: _l("3 – act now"),
    },
)


class RecommendationStatus(TitledEnum):
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    DONE = "done"


set_titles(
    RecommendationStatus,
    {
        RecommendationStatus.PENDING: _l("pending"),
        RecommendationStatus.IN_PROGRESS: _l("in progress"),
        RecommendationStatus.DONE: _l("done"),
    },
)
