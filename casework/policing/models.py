"""Community policing and early warning: units, security committees and their meetings,
activities, alerts, and the thresholds that turn a run of alerts into a warning.

There is no column for an informant's name anywhere: an alert's source is a type and a
pseudonymous relay code.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.cases.enums import Sex
from casework.cases.models import NAME_MAX, NARRATIVE_MAX, SHORT_TEXT_MAX, TITLE_MAX
from casework.db import UTCDateTime, not_negative, one_of, utcnow
from casework.extensions import db
from casework.policing.enums import Force, RecommendationStatus

RELAY_CODE_MAX = 32


class PoliceUnit(db.Model):
    """A community-police unit (police de proximité) and its focal point."""

    __tablename__ = "police_units"
    __table_args__ = (one_of("force", Force.values()),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    force: Mapped[str] = mapped_column(sa.String(20))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"), index=True)
    focal_point_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area = relationship("AdminUnit", lazy="joined", innerjoin=True)
    focal_point = relationship("User", lazy="joined")

    @property
    def force_enum(self) -> Force:
        return Force(self.force)


class SecurityCommittee(db.Model):
    """A communal security committee (comité consultatif de sécurité, CCS)."""

    __tablename__ = "security_committees"
    __table_args__ = (*not_negative("monthly_target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"), index=True)
    chair: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))  # the mayor, by default
    monthly_target: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    area = relationship("AdminUnit", lazy="joined", innerjoin=True)
    members: Mapped[list[CommitteeMember]] = relationship(
        back_populates="committee", order_by="CommitteeMember.id"
    )


class CommitteeMember(db.Model):
    __tablename__ = "committee_members"
    __table_args__ = (one_of("sex", Sex.values()),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(sa.ForeignKey("security_committees.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    function: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    sex: Mapped[str] = mapped_column(sa.String(1), default=Sex.UNKNOWN.value)
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())

    committee: Mapped[SecurityCommittee] = relationship(back_populates="members")


class CommitteeMeeting(db.Model):
    __tablename__ = "committee_meetings"
    __table_args__ = (
        *not_negative("women", "men"),
        sa.Index("ix_committee_meetings_committee_id_held_on", "committee_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(sa.ForeignKey("security_committees.id"))
    held_on: Mapped[date] = mapped_column(sa.Date)
    women: Mapped[int] = mapped_column(sa.Integer, default=0)
    men: Mapped[int] = mapped_column(sa.Integer, default=0)
    agenda: Mapped[str] = mapped_column(sa.String(SHORT_TEXT_MAX))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    committee: Mapped[SecurityCommittee] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="meeting", order_by="Recommendation.id"
    )


class Recommendation(db.Model):
    __tablename__ = "meeting_recommendations"
    __table_args__ = (one_of("status", RecommendationStatus.values()),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("committee_meetings.id"), index=True)
    text: Mapped[str] = mapped_column(sa.String(SHORT_TEXT_MAX))
    responsible: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    status: Mapped[str] = mapped_column(sa.String(12), default=RecommendationStatus.PENDING.value)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting: Mapped[CommitteeMeeting] = relationship(back_populates="recommendations")

    @property
    def status_enum(self) -> RecommendationStatus:
        return RecommendationStatus(self.status)


activity_cases = sa.Table(
    "activity_cases",
    db.metadata,
    sa.Column("activity_id", sa.ForeignKey("police_activities.id"), primary_key=True),
    sa.Column("case_id", sa.ForeignKey("cases.id"), primary_key=True),
)


class Activity(db.Model):
    """A patrol, meeting, awareness session or other community-police activity."""

    __tablename__ = "police_activities"
    __table_args__ = (
        *not_negative(
            "duration_minutes",
            "participants",
            "women",
            "men",
            "youth",
            "alerts_raised",
            "cases_created",
            "cases_referred",
        ),
        sa.Index("ix_police_activities_held_on", "held_on"),
        sa.Index("ix_police_activities_police_unit_id", "police_unit_id"),
        sa.Index("ix_police_activities_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_type: Mapped[str] = mapped_column(sa.String(40))  # vocabulary activity_type
    held_on: Mapped[date] = mapped_column(sa.Date)
    duration_minutes: Mapped[int | None] = mapped_column(sa.Integer)
    police_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("police_units.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"))  # where
    place: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    topic: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    topic_search: Mapped[str] = mapped_column(sa.String(TITLE_MAX), default="")
    participants: Mapped[int] = mapped_column(sa.Integer, default=0)
    women: Mapped[int] = mapped_column(sa.Integer, default=0)
    men: Mapped[int] = mapped_column(sa.Integer, default=0)
    youth: Mapped[int] = mapped_column(sa.Integer, default=0)  # under 35, among the above
    alerts_raised: Mapped[int] = mapped_column(sa.Integer, default=0)
    cases_created: Mapped[int] = mapped_column(sa.Integer, default=0)
    cases_referred: Mapped[int] = mapped_column(sa.Integer, default=0)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    police_unit: Mapped[PoliceUnit] = relationship(lazy="joined", innerjoin=True)
    area = relationship("AdminUnit", lazy="joined", innerjoin=True)
    cases = relationship("Case", secondary=activity_cases, order_by="Case.reference")


class Alert(db.Model):
    """An early-warning alert. Its source is a type and a pseudonymous relay code only."""

    __tablename__ = "alerts"
    __table_args__ = (
        sa.CheckConstraint("urgency BETWEEN 1 AND 3", name="urgency_range"),
        sa.CheckConstraint(
            "responded_at IS NULL OR responded_at >= occurred_at", name="response_after_alert"
        ),
        sa.CheckConstraint(
            "forwarded_at IS NULL OR forwarded_at >= occurred_at", name="forwarded_after_alert"
        ),
        sa.Index("ix_alerts_unit_id_category_occurred_at", "unit_id", "category", "occurred_at"),
        sa.Index("ix_alerts_occurred_at", "occurred_at"),
        # The home page's alerts of the week in an area (the count, and the early warnings
        # by category): a range of each unit, read from the index alone (20261205_d).
        sa.Index("ix_alerts_unit_id_occurred_at", "unit_id", "occurred_at", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"))
    place: Mapped[str | None] = mapped_column(sa.String(NAME_MAX))
    category: Mapped[str] = mapped_column(sa.String(40))  # vocabulary alert_category
    urgency: Mapped[int] = mapped_column(sa.Integer)
    source_type: Mapped[str] = mapped_column(sa.String(40))  # vocabulary alert_source
    relay_code: Mapped[str | None] = mapped_column(sa.String(RELAY_CODE_MAX))
    description: Mapped[str] = mapped_column(sa.Text)
    description_search: Mapped[str] = mapped_column(sa.Text, default="")
    verified: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    forwarded_to: Mapped[str | None] = mapped_column(sa.String(40))  # vocabulary referral_target
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response: Mapped[str | None] = mapped_column(sa.String(SHORT_TEXT_MAX))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    police_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("police_units.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), unique=True)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    area = relationship("AdminUnit", lazy="joined", innerjoin=True)
    police_unit: Mapped[PoliceUnit | None] = relationship()
    case = relationship("Case")

    @property
    def response_minutes(self) -> int | None:
        if self.responded_at is None:
            return None
        return int((self.responded_at - self.occurred_at).total_seconds() // 60)


class AlertThreshold(db.Model):
    """A warning rule: ``count`` alerts of a category in a commune within ``window_days``.
    A row without commune or category applies to every commune or category; the most
    specific row wins, then the configuration's default."""

    __tablename__ = "alert_thresholds"
    __table_args__ = (
        sa.UniqueConstraint("unit_id", "category"),
        sa.CheckConstraint("alert_count >= 1", name="alert_count_positive"),
        sa.CheckConstraint("window_days >= 1", name="window_days_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("admin_units.id"))
    category: Mapped[str | None] = mapped_column(sa.String(40))
    alert_count: Mapped[int] = mapped_column(sa.Integer)
    window_days: Mapped[int] = mapped_column(sa.Integer)

    area = relationship("AdminUnit")


class SmsRelay(db.Model):
    """A community relay who sends alerts by SMS. The phone number is kept only as a keyed
    hash (``number_hash``): it can be matched, never read back or shown."""

    __tablename__ = "sms_relays"
    __table_args__ = (sa.CheckConstraint("language IN ('fr', 'en')", name="language_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    relay_code: Mapped[str] = mapped_column(sa.String(RELAY_CODE_MAX), unique=True)
    number_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The last digits, so that a coordinator can tell two relays' phones apart ("…42").
    number_hint: Mapped[str] = mapped_column(sa.String(4))
    language: Mapped[str] = mapped_column(sa.String(2), default="fr")
    # The area the relay reports on: their messages may name any commune within it.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("admin_units.id"), index=True)
    # Alerts sent by the relay are recorded in the name of the user who registered them.
    registered_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area = relationship("AdminUnit")
    registered_by = relationship("User")


class SmsMessage(db.Model):
    """One message the gateway delivered, and what became of it. Neither the number nor the
    text is kept: the keyed hash of the number (for the rate limit) and the outcome."""

    __tablename__ = "sms_messages"
    __table_args__ = (
        one_of(
            "outcome",
            ["created", "malformed", "unknown_number", "rate_limited", "inactive_relay"],
        ),
        sa.UniqueConstraint("gateway_message_id", name="uq_sms_messages_gateway_message_id"),
        sa.Index("ix_sms_messages_number_hash_received_at", "number_hash", "received_at"),
        sa.Index("ix_sms_messages_received_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The gateway's id of the message (SMSSync's message_id): a message sent twice is
    # answered once.
    gateway_message_id: Mapped[str] = mapped_column(sa.String(80))
    number_hash: Mapped[str] = mapped_column(sa.String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[str] = mapped_column(sa.String(16))
    # Why a message was refused (a code such as "commune"), never its text.
    problem: Mapped[str | None] = mapped_column(sa.String(24))
    relay_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sms_relays.id"))
    alert_id: Mapped[int | None] = mapped_column(sa.ForeignKey("alerts.id"))
    # The reply sent back through the gateway (in the relay's language), sent again if the
    # gateway delivers the same message twice.
    reply: Mapped[str | None] = mapped_column(sa.String(480))

    relay: Mapped[SmsRelay | None] = relationship()
    alert: Mapped[Alert | None] = relationship()


__all__ = [
    "Activity",
    "Alert",
    "AlertThreshold",
    "CommitteeMeeting",
    "CommitteeMember",
    "PoliceUnit",
    "Recommendation",
    "SecurityCommittee",
    "SmsMessage",
    "SmsRelay",
    "NARRATIVE_MAX",
    "RELAY_CODE_MAX",
]
