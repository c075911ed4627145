"""The knowledge base's tables.

Plain, readable tables (one row per unit, document, figure…) so that Datasette and
sqlite-utils open the SQLite file as it is. Confidential case data never lives here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so that Alembic can alter them the same way on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UnitRow(Base):
    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str | None] = mapped_column(String(300))
    type: Mapped[str | None] = mapped_column(String(40))
    echelon: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    military_unit_number: Mapped[str | None] = mapped_column(String(16), index=True)
    garrison: Mapped[str | None] = mapped_column(String(300))
    district_or_army: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(String(500))


class UnitAliasRow(Base):
    __tablename__ = "unit_aliases"
    __table_args__ = (UniqueConstraint("unit_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))


class OutletRow(Base):
    """A news outlet or organisation that documents cite, with a reliability grade.

    Grades follow the Admiralty code's source-reliability scale (A completely reliable …
    E unreliable, F cannot be judged); see docs/reliability.md.
    """

    __tablename__ = "outlets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str | None] = mapped_column(String(8))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    note: Mapped[str | None] = mapped_column(Text)


class DocumentRow(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    published: Mapped[str | None] = mapped_column(String(10), index=True)
    outlet: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))


class FigureRow(Base):
    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32), index=True)
    value: Mapped[int] = mapped_column(BigInteger)
    qualifier: Mapped[str] = mapped_column(String(16), default="exact")
    measure: Mapped[str] = mapped_column(String(32), default="people")
    army: Mapped[str] = mapped_column(String(8), default="ru")
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    unit_mention: Mapped[str | None] = mapped_column(Text)
    subunit: Mapped[bool] = mapped_column(Boolean, default=False)
    period_start: Mapped[str | None] = mapped_column(String(10))
    period_end: Mapped[str | None] = mapped_column(String(10))
    quote: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class UnitMentionRow(Base):
    __tablename__ = "unit_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"), index=True)
    mention: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)


class PersonMentionRow(Base):
    __tablename__ = "person_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32), default="other")
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)


class CitedSourceRow(Base):
    __tablename__ = "cited_sources"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))


class VerdictRow(Base):
    """One court verdict from an imported table, traceable to its file and row."""

    __tablename__ = "verdicts"
    __table_args__ = (UniqueConstraint("source_sha256", "source_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[str] = mapped_column(String(10), index=True)
    court: Mapped[str] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(200))
    article: Mapped[str] = mapped_column(String(8), index=True)
    part: Mapped[str | None] = mapped_column(String(8))
    sentence: Mapped[str | None] = mapped_column(Text)
    unit_as_written: Mapped[str | None] = mapped_column(String(300))
    unit_id: Mapped[str | None] = mapped_column(ForeignKey("units.id"), index=True)
    source_file: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_row: Mapped[int] = mapped_column(Integer)


Index("ix_figures_unit_category", FigureRow.unit_id, FigureRow.category)


class WatchlistRow(Base):
    """One imported version of a watchlist (e.g. an OpenSanctions export), by name.

    Re-importing a list writes a new row (version + 1) and deletes the old one in the same
    transaction, so that screening sees either the old or the new list, never a mixture.
    """

    __tablename__ = "watchlists"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    source_file: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    entries: Mapped[int] = mapped_column(Integer, default=0)


class WatchlistEntryRow(Base):
    """One person on a watchlist; list-valued fields are JSON arrays kept as text."""

    __tablename__ = "watchlist_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(
        ForeignKey("watchlists.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[str] = mapped_column(String(200))
    schema: Mapped[str] = mapped_column(String(40), default="Person")
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[str] = mapped_column(Text, default="[]")
    birth_dates: Mapped[str] = mapped_column(Text, default="[]")
    nationality: Mapped[str] = mapped_column(Text, default="[]")
    position: Mapped[str] = mapped_column(Text, default="[]")
    topics: Mapped[str] = mapped_column(Text, default="[]")
    raw: Mapped[str | None] = mapped_column(Text)
