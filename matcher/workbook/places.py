"""Towns and villages named as planners name them: by id or by name.

A workbook refers to places in many columns — a village's town, a cadre's or organisation's
base, the ends of a road, a cadre's paired villages, an organisation's towns, a pool's
villages, a need's and an aid record's village. Planners know the names (福市镇, 小园村), not
the ids, so each such cell may hold either; after the sheets are read, :func:`resolve_places`
turns every name into its id. A village may also be named with its town (福市镇小园村, or
福市镇/小园村) to tell two villages of one name apart.

A name that matches two places or more is refused with the candidates (id, name and town); a
text that is neither an id nor a name is refused with the nearest names. Both are reported at
their cell. An id always wins over a name; an id of the wrong kind (a village where a town is
wanted) is left to the scenario's reference checks.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from matcher.workbook.columns import SHEETS, Kind, Refers
from matcher.workbook.results import Key
from matcher.workbook.words import Said, Words, listed, quoted, said

Report = Callable[[Key, Callable[[], Said]], None]
"""Reports a problem of the reference at a place of the scenario (``("needs", 5,
"village")``), in words made only when the problem is listed."""

_NOT_IN_NAME = re.compile(r"[\s_\-/|·・—,，()（）]+")
_NEAREST = 3
_CUTOFF = 0.5


def name_key(text: str) -> str:
    """A place's name as compared: full-width folded, lower case, without spaces, slashes,
    dashes and brackets (``福市镇 / 小园村`` meets ``福市镇小园村``)."""
    return _NOT_IN_NAME.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Place:
    """A town (or county seat) or a village that a cell may name."""

    id: str
    name: str | None
    village: bool
    town: str | None = None  # a village's town, by name (else id) as the sheets give it

    def words(self) -> Words:
        """The place as a message shows it: “小园村”（V001，福市镇）."""
        if self.name is None:
            return Words(self.id, self.id)
        where = f"，{self.town}" if self.village and self.town else ""
        where_en = f", {self.town}" if self.village and self.town else ""
        return Words(f"“{self.name}”（{self.id}{where}）", f'"{self.name}" ({self.id}{where_en})')


class Gazetteer:
    """The places of a scenario by id and by name, for one kind of reference."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.keys = [
            (name_key(place.id), name_key(place.name) if place.name else "") for place in places
        ]
        self.near: dict[str, list[Place]] = {}  # the nearest places of the texts asked for
        self.by_name: dict[str, list[Place]] = {}
        for place in places:
            for key in _keys(place):
                found = self.by_name.setdefault(key, [])
                if place not in found:
                    found.append(place)

    def named(self, text: str) -> list[Place]:
        """The places ``text`` names (none, one, or several alike)."""
        return self.by_name.get(name_key(text), [])

    def nearest(self, text: str) -> list[Place]:
        """The places whose name or id is nearest to ``text`` (none when none is near)."""
        wanted = name_key(text)
        found = self.near.get(wanted)
        if found is None:
            found = self.near[wanted] = list(_nearest(self, wanted))
        return found


def _keys(place: Place) -> Iterator[str]:
    if place.name:
        yield name_key(place.name)
        if place.village and place.town:
            yield name_key(place.town) + name_key(place.name)


def _similarity(a: str, b: str) -> float:
    """How alike two names are: difflib's ratio, or the share of characters they have in
    common (which suits Chinese names of two to four characters better)."""
    if not a or not b:
        return 0.0
    common = len(set(a) & set(b)) / max(len(set(a)), len(set(b)))
    return max(difflib.SequenceMatcher(None, a, b).ratio(), common)


def _nearest(gazetteer: Gazetteer, wanted: str) -> Iterator[Place]:
    scored: list[tuple[float, int, Place]] = []
    pairs = zip(gazetteer.places, gazetteer.keys, strict=True)
    for position, (place, (id_key, name)) in enumerate(pairs):
        score = max(_similarity(wanted, id_key), _similarity(wanted, name))
        if score >= _CUTOFF:
            scored.append((-score, position, place))
    for _, _, place in sorted(scored)[:_NEAREST]:
        yield place


def _places(raw: dict[str, Any]) -> tuple[list[Place], list[Place]] | None:
    """The scenario's places and villages as cells may name them, or None when the sheets
    hold no list of places (the scenario's checks then say what is missing)."""
    places, villages = raw.get("places"), raw.get("villages")
    if not isinstance(places, list) or not isinstance(villages, list):
        return None
    towns: list[Place] = []
    names: dict[str, str] = {}
    for item in places:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            name = item.get("name") if isinstance(item.get("name"), str) else None
            towns.append(Place(item["id"], name or None, village=False))
            if name:
                names[item["id"]] = name
    found: list[Place] = []
    for item in villages:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            name = item.get("name") if isinstance(item.get("name"), str) else None
            town = item.get("town") if isinstance(item.get("town"), str) else None
            found.append(Place(item["id"], name or None, True, names.get(town or "", town)))
    return towns, found


# The columns that name places: (list, field, what they name, whether the cell is a list).
REFERENCES: tuple[tuple[str, str, Refers, bool], ...] = tuple(
    (sheet.name, column.field, column.refers, column.kind is Kind.LIST)
    for sheet in SHEETS
    for column in sheet.columns
    if column.refers
)


def resolve_places(raw: dict[str, Any], report: Report) -> None:
    """Replace the names of places in ``raw``'s references by their ids, reporting at its
    cell each name that is ambiguous and each text that names no place."""
    found = _places(raw)
    if found is None:
        return
    towns, villages = found
    ids = {place.id for place in (*towns, *villages)}
    gazetteers: dict[str, Gazetteer] = {
        "place": Gazetteer(towns),
        "village": Gazetteer(villages),
        "node": Gazetteer([*towns, *villages]),
    }
    for name, field, refers, many in REFERENCES:
        items = raw.get(name)
        if not isinstance(items, list):
            continue
        gazetteer = gazetteers[refers]
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            value = item.get(field)
            if many and isinstance(value, list):
                for position, entry in enumerate(value):
                    if isinstance(entry, str) and entry not in ids:
                        spot = (name, index, field)
                        value[position] = _resolved(entry, gazetteer, refers, spot, report)
            elif isinstance(value, str) and value not in ids:
                item[field] = _resolved(value, gazetteer, refers, (name, index, field), report)


def _resolved(text: str, gazetteer: Gazetteer, refers: Refers, spot: Key, report: Report) -> str:
    """The id ``text`` names; ``text`` itself (reported) when it names none or several."""
    if not text.strip():
        return text  # an empty name: the scenario's checks say what is wrong
    named = gazetteer.named(text)
    if len(named) == 1:
        return named[0].id
    what = _WHAT[refers]
    if named:
        candidates = listed(place.words() for place in named)

        def ambiguous() -> Said:
            hint = Words(_qualified(named[0], "zh"), _qualified(named[0], "en"))
            return said(
                "workbook.place.ambiguous",
                text=quoted(text),
                what=what,
                count=len(named),
                candidates=candidates,
                example=hint,
            )

        report(spot, ambiguous)
        return text

    def unknown() -> Said:
        near = gazetteer.nearest(text)
        if near:
            return said(
                "workbook.place.unknown_near",
                text=quoted(text),
                what=what,
                nearest=listed(place.words() for place in near),
            )
        return said("workbook.place.unknown", text=quoted(text), what=what)

    report(spot, unknown)
    return text


def _qualified(place: Place, lang: str) -> str:
    """How to name one of several alike: its id, or with its town (福市镇小园村)."""
    if place.village and place.town and place.name:
        joined = "或" if lang == "zh" else " or "
        return f"{place.id}{joined}{place.town}{place.name}"
    return place.id


_WHAT: dict[Refers, Words] = {
    "": Words("地点", "place"),
    "place": Words("乡镇", "town"),
    "village": Words("村", "village"),
    "node": Words("乡镇或村", "town or village"),
}
