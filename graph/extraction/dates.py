"""Dates in news text, resolved against the article's publication date.

:func:`find_dates` reads absolute dates ("April 4, 2025", "4. April 2025", "2025年4月4日",
"28/10/2025"), dates without a year ("Dec 1", "4月4日", "２８日", "nesta quinta-feira (5)")
and weekdays ("on Monday", "Selasa", "este lunes"), and resolves the incomplete ones against
the publication date: a weekday is the latest such day on or before it; a day and month take
its year. Month-only mentions ("im April", "em abril", "en abril de 2024") resolve to
``YYYY-MM``. Each date carries the word that introduces it when that word says it is a start or
an end ("from", "since", "until": ``relation``), so callers can tell an announcement date from
an effective date. No clock is read: without a publication date, incomplete dates are dropped.

Examples
--------
>>> pub = parse_published("2025-10-28 (event date)")
>>> pub
datetime.date(2025, 10, 28)
>>> [(d.value, d.relation) for d in find_dates("said on Monday it will act from Dec 1", "en", pub)]
[('2025-10-27', None), ('2025-12-01', 'from')]
>>> [d.value for d in find_dates("pada Selasa (28/10/2025)", "id", pub)]
['2025-10-28']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .lexicon import fold

__all__ = ["DateMention", "find_dates", "find_years", "parse_published"]


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date in the text: ISO ``value`` (YYYY-MM-DD, YYYY-MM or YYYY) and its offsets."""

    value: str
    start: int
    end: int
    relation: str | None = None


def parse_published(value: str | None) -> dt.date | None:
    """The leading ISO date of a ``published`` field ("2025-04-30 (event date ...)").

    Month or year precision resolve to the first day. Returns None when there is no date.

    >>> parse_published("2025-03"), parse_published(None), parse_published("n/a")
    (datetime.date(2025, 3, 1), None, None)
    """
    if not value:
        return None
    m = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "january jan januari janvier janv enero ene januar jänner janeiro jan gennaio",
        "february feb februari février févr febrero februar fevereiro fev febbraio",
        "march mar maret mars marzo märz março marco",
        "april apr avril abril abr aprile",
        "may mei mai mayo maio maggio",
        "june jun juni juin junio junho giugno",
        "july jul juli juillet juil julio julho luglio",
        "august aug agustus août aout agosto",
        "september sep sept septembre septiembre setiembre setembro settembre",
        "october oct oktober octobre octubre outubro ottobre",
        "november nov nopember novembre noviembre novembro",
        "december dec desember décembre dec diciembre dic dezember dezembro dez dicembre",
    ],
    start=1,
):
    for _n in _names.split():
        _MONTHS.setdefault(_n, _i)
_MONTH = "|".join(sorted((re.escape(k) for k in _MONTHS), key=len, reverse=True))

_WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "monday senin lundi lunes montag segunda-feira lunedì lunedi 周一 星期一 月曜日 月曜",
        "tuesday selasa mardi martes dienstag terça-feira martedì martedi 周二 星期二 火曜日 火曜",
        "wednesday rabu mercredi miércoles miercoles mittwoch quarta-feira mercoledì "
        "mercoledi 周三 星期三 水曜日 水曜",
        "thursday kamis jeudi jueves donnerstag quinta-feira giovedì giovedi 周四 星期四 "
        "木曜日 木曜",
        "friday jumat jum'at vendredi viernes freitag sexta-feira venerdì venerdi 周五 星期五 "
        "金曜日 金曜",
        "saturday sabtu samedi sábado sabado samstag sabato 周六 星期六 土曜日 土曜",
        "sunday dimanche domingo sonntag domenica 周日 星期日 星期天 日曜日 日曜",
    ]
):
    for _n in _names.split():
        _WEEKDAYS.setdefault(_n, _i)
_WEEKDAY = "|".join(sorted((re.escape(k) for k in _WEEKDAYS), key=len, reverse=True))

_RELATION_WORDS = {
    "from": "from",
    "since": "since",
    "starting": "from",
    "effective": "from",
    "until": "until",
    "through": "until",
    "by": "until",
    "mulai": "from",
    "sejak": "since",
    "hingga": "until",
    "sampai": "until",
    "desde": "since",
    "a partir del": "from",
    "a partir de": "from",
    "hasta": "until",
    "depuis": "since",
    "à partir du": "from",
    "à partir de": "from",
    "jusqu'au": "until",
    "ab": "from",
    "seit": "since",
    "bis": "until",
    "até": "until",
    "dal": "from",
    "fino al": "until",
}
_RELATION = re.compile(
    r"(?:^|[\s\"'(])("
    + "|".join(sorted((re.escape(k) for k in _RELATION_WORDS), key=len, reverse=True))
    + r")(?:\s+(?:in|on|the|le|el|la|o|a|dem|den|em|en))?\s*$"
)
_CJK_RELATION = re.compile(r"^(?:起|から|以来|以降|开始|まで)")

_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DMY_NUM = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")
_CJK_YMD = re.compile(r"(\d{4})\s?年\s?(\d{1,2})\s?月(?:\s?(\d{1,2})\s?日)?")
_CJK_MD = re.compile(r"(?<![\d年])(\d{1,2})\s?月\s?(\d{1,2})\s?日")
_CJK_D = re.compile(r"(?<![\d月/年-])(\d{1,2})\s?日(?!間|后|後|以内|本|元|円|경)")
_MDY = re.compile(
    rf"(?<![\w])({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(\d{{4}}))?"
)
_DMY = re.compile(
    rf"(?<![\w])(\d{{1,2}}|1er)(?:st|nd|rd|th)?\.?\s+(?:de\s+|of\s+)?({_MONTH})\.?"
    rf"(?:,?\s+(?:de\s+)?(\d{{4}}))?(?![\w])"
)
_MY = re.compile(rf"(?<![\w])({_MONTH})\.?\s+(?:de\s+|del\s+)?(\d{{4}})(?!\d)")
_IN_MONTH = re.compile(
    rf"(?:^|\s)(?:in|im|em|en|au mois d'|au mois de|pada|di|a|ad|nel mese di)\s+({_MONTH})(?![\w])"
)
_WD = re.compile(rf"(?<![\w-])({_WEEKDAY})(?![\w-])(?:\s*\((\d{{1,2}})\))?")
_YEAR = re.compile(r"(?<![\d.,/-])((?:19|20)\d{2})(?![\d%])")


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _year_for(month: int, day: int, pub: dt.date) -> int:
    """The year of a day and month without one: the publication year, unless that puts it
    more than seven months after publication (then the year before)."""
    cand = _valid(pub.year, month, min(day, 28))
    if cand and (cand - pub).days > 210:
        return pub.year - 1
    return pub.year


def find_dates(text: str, lang: str = "en", published: dt.date | None = None) -> list[DateMention]:
    """Dates in ``text``, resolved against ``published`` (see the module docstring).

    >>> pub = parse_published("2026-02-05")
    >>> [d.value for d in find_dates("informou nesta quinta-feira (5), em abril", "pt", pub)]
    ['2026-02-05', '2025-04']
    >>> [d.value for d in find_dates("２８日、4月4日に", "ja", parse_published("2025-10-28"))]
    ['2025-10-28', '2025-04-04']
    """
    folded = fold(text)
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: str | None) -> None:
        if value is None or any(a < end and start < b for a, b in taken):
            return
        taken.append((start, end))
        found.append((start, end, value))

    for m in _ISO.finditer(folded):
        d = _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        add(m.start(), m.end(), d.isoformat() if d else None)
    for m in _DMY_NUM.finditer(folded):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        d = _valid(y, a, b) if lang == "en" and a <= 12 else _valid(y, b, a)
        add(m.start(), m.end(), d.isoformat() if d else None)
    for m in _CJK_YMD.finditer(folded):
        y, mo = int(m.group(1)), int(m.group(2))
        if m.group(3):
            d = _valid(y, mo, int(m.group(3)))
            add(m.start(), m.end(), d.isoformat() if d else None)
        elif 1 <= mo <= 12:
            add(m.start(), m.end(), f"{y:04d}-{mo:02d}")
    for m in _CJK_MD.finditer(folded):
        if published:
            mo, day = int(m.group(1)), int(m.group(2))
            d = _valid(_year_for(mo, day, published), mo, day)
            add(m.start(), m.end(), d.isoformat() if d else None)
    for m in _MDY.finditer(folded):
        mo = _MONTHS[m.group(1)]
        day = int(m.group(2))
        if m.group(3):
            d = _valid(int(m.group(3)), mo, day)
        else:
            d = _valid(_year_for(mo, day, published), mo, day) if published else None
        add(m.start(), m.end(), d.isoformat() if d else None)
    for m in _DMY.finditer(folded):
        mo = _MONTHS[m.group(2)]
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        if m.group(3):
            d = _valid(int(m.group(3)), mo, day)
        else:
            d = _valid(_year_for(mo, day, published), mo, day) if published else None
        add(m.start(), m.end(), d.isoformat() if d else None)
    for m in _MY.finditer(folded):
        add(m.start(), m.end(), f"{int(m.group(2)):04d}-{_MONTHS[m.group(1)]:02d}")
    if published:
        for m in _IN_MONTH.finditer(folded):
            mo = _MONTHS[m.group(1)]
            y = published.year if mo <= published.month else published.year - 1
            add(m.start(1), m.end(), f"{y:04d}-{mo:02d}")
        for m in _WD.finditer(folded):
            if re.match(r"\s*\(\s*\d{1,2}/\d{1,2}/\d{4}", folded[m.end() :]):
                continue  # "Selasa (28/10/2025)": the date in brackets says it
            wd = _WEEKDAYS[m.group(1)]
            if m.group(2):  # "quinta-feira (5)": the day of the month is given
                day = int(m.group(2))
                y, mo = published.year, published.month
                if day > published.day + 1:
                    mo -= 1
                    if mo == 0:
                        y, mo = y - 1, 12
                d = _valid(y, mo, day)
            else:
                d = published - dt.timedelta(days=(published.weekday() - wd) % 7)
            add(m.start(), m.end(), d.isoformat() if d else None)
        for m in _CJK_D.finditer(folded):
            day = int(m.group(1))
            y, mo = published.year, published.month
            if day > published.day + 1:
                mo -= 1
                if mo == 0:
                    y, mo = y - 1, 12
            d = _valid(y, mo, day)
            add(m.start(), m.end(), d.isoformat() if d else None)
    out = []
    for start, end, value in sorted(found):
        rel = None
        m = _RELATION.search(folded[max(0, start - 16) : start])
        if m:
            rel = _RELATION_WORDS.get(m.group(1))
        elif _CJK_RELATION.match(folded[end : end + 3]):
            rel = "from"
        out.append(DateMention(value, start, end, rel))
    return out


def find_years(text: str) -> list[tuple[int, int, int]]:
    """Four-digit years (1900-2099) in ``text`` as ``(year, start, end)``.

    >>> find_years("in 2024, up from 82% in 2020; 2024年")
    [(2024, 3, 7), (2020, 24, 28), (2024, 30, 34)]
    """
    return [(int(m.group(1)), m.start(), m.end()) for m in _YEAR.finditer(text)]
