"""`--format ftm`: FollowTheMoney entities, one JSON object a line, for Aleph and OpenSanctions.

What becomes what (schema names as in followthemoney 4):

- a document → `Article` (title, bodyText, publishedAt, language, sourceUrl, publisher,
  contentHash = SHA-256 of the source file, peopleMentioned);
- a unit → `Organization` (names in every language as `name`/`alias`, the military unit
  number as `idNumber`, topic `mil`); the unit above it → `Membership` (member: the unit,
  organization: its parent, role "subordinate unit");
- a figure → `Event` ("151 deserted"; date = the document's date, startDate/endDate = the
  period counted; involved → the unit; proof → the document; summary = the quote);
- a unit mention / a cited source → `Documentation` (document → entity, role says which);
  a cited source is an `Organization`;
- a person mention → `Person` with `proof` → the document (no topics: being named in a
  report says nothing about sanctions or crime);
- a verdict → `CourtCase` (court, closeDate = date of the verdict, category = article and
  part, summary = sentence) and, when the unit is known, `CourtCaseParty` → the unit.

Ids come from `make_entity_id` over stable keys (a unit's id, a document's hash, a
verdict's file hash and line), so exporting the same knowledge base twice gives the same
entities. Values are cleaned by followthemoney as they are added; a value it rejects (an
unknown country code, say) is left out rather than written invalid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.util import make_entity_id
from sqlalchemy.engine import Connection

from awol.export import reading

KEY_PREFIX = "awol"
MIME_TYPES = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
}
CATEGORY_WORDS = {"awol": "AWOL", "asylum_granted": "granted asylum"}
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "more_than": "more than ",
    "at_least": "at least ",
    "up_to": "up to ",
}
ARMY_COUNTRIES = {"ru": "ru", "ua": "ua"}


def write(connection: Connection, out: TextIO) -> int:
    """Write the entities as JSON lines; return how many."""
    count = 0
    for entity in entities(connection):
        out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


def entity_id(kind: str, *parts: Any) -> str:
    """A stable id: the SHA-1 of "awol", the kind of thing and its key (followthemoney's way)."""
    made = make_entity_id(kind, *parts, key_prefix=KEY_PREFIX)
    assert made is not None  # the kind alone is never empty
    return made


def entities(connection: Connection) -> Iterator[EntityProxy]:
    """Units first, then cited sources, then each document with what hangs on it, then verdicts."""
    for unit in reading.units(connection):
        yield from _unit(unit)
    for source in reading.cited_source_names(connection):
        yield _cited_source(source)
    for doc in reading.documents_with_children(connection):
        yield from _document(doc)
    for verdict in reading.verdicts(connection):
        yield from _verdict(verdict)


def _entity(schema: str, id_: str) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.id = id_
    return entity


def unit_entity_id(unit_id: str) -> str:
    return entity_id("unit", unit_id)


def article_entity_id(sha256: str) -> str:
    return entity_id("document", sha256)


def source_entity_id(name: str) -> str:
    return entity_id("source", name.casefold())


def _unit(unit: dict[str, Any]) -> Iterator[EntityProxy]:
    org = _entity("Organization", unit_entity_id(unit["id"]))
    org.add("name", unit["name_en"])
    org.add("name", unit["name_ru"])
    org.add("alias", unit["aliases"])
    org.add("idNumber", unit["military_unit_number"])
    org.add("classification", [unit["type"], unit["echelon"]])
    org.add("address", unit["garrison"])
    org.add("description", unit["district_or_army"])
    org.add("sourceUrl", unit["source_url"])
    org.add("country", "ru")
    org.add("topics", "mil")
    yield org
    if unit["parent_id"]:
        link = _entity("Membership", entity_id("unit-parent", unit["id"], unit["parent_id"]))
        link.add("member", org.id)
        link.add("organization", unit_entity_id(unit["parent_id"]))
        link.add("role", "subordinate unit")
        yield link


def _cited_source(source) -> EntityProxy:
    org = _entity("Organization", source_entity_id(source.name))
    org.add("name", source.name)
    org.add("country", source.country)
    org.add("classification", source.kind)
    return org


def _document(doc: dict[str, Any]) -> Iterator[EntityProxy]:
    article = _entity("Article", article_entity_id(doc["sha256"]))
    file_name = PurePath(doc["path"]).name if doc["path"] else None
    article.add("title", doc["title"])
    article.add("name", doc["title"] or file_name or doc["sha256"])
    article.add("bodyText", doc["text"])
    article.add("publishedAt", doc["published"])
    article.add("language", doc["language"])
    article.add("sourceUrl", doc["url"])
    article.add("publisher", doc["outlet"])
    article.add("contentHash", doc["sha256"])
    article.add("fileName", file_name)
    article.add("fileSize", doc["size_bytes"])
    article.add("mimeType", MIME_TYPES.get(doc["format"]))
    article.add("peopleMentioned", [p.name for p in doc["persons"]])
    yield article
    for figure in doc["figures"]:
        yield _figure(figure, article)
    for mention in doc["units"]:
        link = _entity(
            "Documentation",
            entity_id("unit-mention", doc["sha256"], mention.unit_id, mention.span_start, mention.mention),
        )
        link.add("document", article.id)
        link.add("entity", unit_entity_id(mention.unit_id))
        link.add("role", "unit mentioned")
        link.add("summary", mention.mention)
        yield link
    for person in doc["persons"]:
        entity = _entity("Person", entity_id("person", doc["sha256"], person.name, person.span_start))
        entity.add("name", person.name)
        entity.add("description", f"named in the document as {person.role}")
        entity.add("proof", article.id)
        yield entity
    for source in doc["sources_cited"]:
        link = _entity("Documentation", entity_id("cited-source", doc["sha256"], source.name))
        link.add("document", article.id)
        link.add("entity", source_entity_id(source.name))
        link.add("role", "cited source")
        yield link


def figure_label(figure: dict[str, Any]) -> str:
    """ "151 deserted", "about 1010 AWOL", "10308 refused (cases)"."""
    category = CATEGORY_WORDS.get(figure["category"], figure["category"].replace("_", " "))
    label = f"{QUALIFIER_WORDS.get(figure['qualifier'], '')}{figure['value']} {category}"
    if figure["measure"] != "people":
        label += f" ({figure['measure'].replace('_', ' ')})"
    return label


def _figure(figure: dict[str, Any], article: EntityProxy) -> EntityProxy:
    event = _entity(
        "Event",
        entity_id(
            "figure", figure["document_sha256"], figure["span_start"], figure["span_end"],
            figure["category"], figure["value"],
        ),
    )
    event.add("name", figure_label(figure))
    event.add("date", figure["document_published"])
    event.add("startDate", figure["period_start"])
    event.add("endDate", figure["period_end"] or figure["period_start"])
    if figure["unit_id"]:
        event.add("involved", unit_entity_id(figure["unit_id"]))
    event.add("proof", article.id)
    event.add("summary", figure["quote"])
    description = (
        f"category {figure['category']}, value {figure['value']}, qualifier "
        f"{figure['qualifier']}, measure {figure['measure']}, army {figure['army']}"
    )
    if figure["unit_mention"]:
        description += f", unit as written: {figure['unit_mention']}"
    if figure["subunit"]:
        description += " (counted in a subunit of the unit involved)"
    event.add("description", description)
    event.add("country", ARMY_COUNTRIES.get(figure["army"]))
    event.add("sourceUrl", figure["document_url"])
    return event


def _verdict(verdict: dict[str, Any]) -> Iterator[EntityProxy]:
    case = _entity(
        "CourtCase", entity_id("verdict", verdict["source_sha256"], verdict["source_row"])
    )
    article = f"article {verdict['article']}"
    if verdict["part"]:
        article = f"part {verdict['part']} of {article}"
    case.add("name", f"{verdict['court']}, {verdict['date']}: {article}")
    case.add("court", verdict["court"])
    case.add("closeDate", verdict["date"])
    case.add("category", f"{article} of the Criminal Code of the Russian Federation")
    case.add("type", "criminal")
    case.add("country", "ru")
    case.add("address", verdict["region"])
    case.add("summary", verdict["sentence"])
    source = PurePath(verdict["source_file"]).name
    case.add("description", f"verdict table {source}, line {verdict['source_row']}")
    yield case
    if verdict["unit_id"]:
        party = _entity(
            "CourtCaseParty",
            entity_id("verdict-unit", verdict["source_sha256"], verdict["source_row"], verdict["unit_id"]),
        )
        party.add("case", case.id)
        party.add("party", unit_entity_id(verdict["unit_id"]))
        party.add("role", "military unit of the defendant")
        party.add("description", verdict["unit_as_written"])
        yield party
