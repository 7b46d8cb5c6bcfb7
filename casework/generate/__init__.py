"""A fast generator of large, realistic caseloads for benchmarks: ``casework demo generate``.

Unlike ``casework demo seed`` (a few hundred cases written through the services, with
their full stories), this writes straight into the tables with SQLAlchemy Core bulk
inserts, computing every derived column as the services do (references and their
counters, ``search_text``, ``name_search``, ``topic_search``, ``description_search``, the
version counter) and keeping each case's records consistent with its state: an agreement
and follow-up visits behind ACCORD, SUIVI and a resolved closure, a referral behind
RENVOYE, ``suspended_from`` behind SUSPENDU. The check constraints hold (they would refuse
the insert otherwise).

The same seed and the same ``today`` give the same database, row for row.
"""

from casework.generate.cases import EVENT_BLANK
from casework.generate.data import (
    ACTIVITY_TYPES,
    ACTOR_TYPES_BY_LEVEL,
    ALERT_CATEGORIES,
    ALERT_SOURCES,
    CHANNELS,
    CHUNK,
    CIVIL_TARGETS,
    CONFLICT_WEIGHTS,
    CRIME_TARGETS,
    DEFAULT_SEED,
    FORCES,
    GENERATOR_VERSION,
    GIVEN_F,
    GIVEN_M,
    GROUPS,
    KIND_WEIGHTS,
    LIVELIHOODS,
    MECHANISMS,
    NARRATIVE_TAIL,
    PLACES_BY_LEVEL,
    REGION_WEIGHTS,
    SCOPES,
    STAR_TYPES,
    SURNAMES,
    TERM_SPECIES,
    TRANSLATION_TAIL,
    TYPE_TEXTS,
    S,
)
from casework.generate.run import ID_TABLES, generate, generate_command
from casework.generate.writer import STAFF, GenerateResult

__all__ = [
    "ACTIVITY_TYPES",
    "ACTOR_TYPES_BY_LEVEL",
    "ALERT_CATEGORIES",
    "ALERT_SOURCES",
    "CHANNELS",
    "CHUNK",
    "CIVIL_TARGETS",
    "CONFLICT_WEIGHTS",
    "CRIME_TARGETS",
    "DEFAULT_SEED",
    "EVENT_BLANK",
    "FORCES",
    "GENERATOR_VERSION",
    "GIVEN_F",
    "GIVEN_M",
    "GROUPS",
    "ID_TABLES",
    "KIND_WEIGHTS",
    "LIVELIHOODS",
    "MECHANISMS",
    "NARRATIVE_TAIL",
    "PLACES_BY_LEVEL",
    "REGION_WEIGHTS",
    "SCOPES",
    "STAFF",
    "STAR_TYPES",
    "TERM_SPECIES",
    "SURNAMES",
    "TRANSLATION_TAIL",
    "TYPE_TEXTS",
    "GenerateResult",
    "S",
    "generate",
    "generate_command",
]
