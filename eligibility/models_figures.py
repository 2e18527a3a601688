"""Schema of the seed sources and of the dated figures (parameters.yaml)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A seed text copied verbatim into content/sources/."""

    id: str
    file: str  # path relative to content/sources/
    title: str
    publisher: str
    # The text's date as far as it can be told, to the precision given: "year" shows only
    # the year (the kdp page gives nothing but a copyright year). `date_latest`, when set,
    # says the text is no later than that (a range such as 2011–2013).
    date: dt.date
    date_precision: Literal["day", "month", "year"] = "day"
    date_latest: dt.date | None = None
    date_note: str
    basis: str  # Turkish, dative: "program sayfasına" in "2013 tarihli program sayfasına göre"

    @model_validator(mode="after")
    def _range(self) -> Source:
        if self.date_latest is not None and self.date_latest < self.date:
            raise ValueError("date_latest, date alanından önce olamaz")
        return self


class Citation(Strict):
    """Where a fact comes from: a source id and the sentence, quoted verbatim."""

    source: str
    quote: str


class ParameterValue(Strict):
    """One dated value. Either it quotes an official text (`source`), or it belongs to a
    call of calls.yaml (`call`) reported by secondary sources. A value of a call is in
    force only once that call is confirmed; the loader resolves this."""

    valid_from: dt.date
    value: Decimal
    source: Citation | None = None
    call: str | None = None  # id of a call in calls.yaml
    _in_force: bool = PrivateAttr(default=True)

    @model_validator(mode="after")
    def _source_or_call(self) -> ParameterValue:
        if (self.source is None) == (self.call is None):
            raise ValueError("her değerin ya 'source' (resmî metin) ya da 'call' alanı olmalı")
        # Safe by default: a call's value stays out of force until the loader confirms it.
        self._in_force = self.call is None
        return self

    @property
    def in_force(self) -> bool:
        return self._in_force

    def resolve_call(self, confirmed: bool) -> None:
        """Set by the loader from the call's status in calls.yaml (nowhere else)."""
        if self.call is not None:
            self._in_force = confirmed


class Parameter(Strict):
    """A dated figure, in the manner of OpenFisca parameter files.

    A programme officer changes a figure by appending a new dated value. Values of a call
    pending confirmation are kept (`reported`) but never used by `at`/`entry_at`.
    """

    description: str
    # Short name where the figure acts as a cap (e.g. in a grant estimate); {name} placeholders
    # are other parameters' values on the same date: "{support_years} yıllık program tavanı".
    label: str | None = None
    unit: Literal["TRY", "EUR", "year", "month", "ratio", "count", "percent"]
    values: list[ParameterValue] = Field(min_length=1)
    # Our plain note on how the tool reads the figure where the source is not explicit
    # (Turkish, shown as not official), and the secondary sources it relies on.
    note: str | None = None
    secondary: list[str] = Field(default_factory=list)

    @field_validator("values")
    @classmethod
    def _sorted_unique(cls, values: list[ParameterValue]) -> list[ParameterValue]:
        dates = [v.valid_from for v in values]
        if len(set(dates)) != len(dates):
            raise ValueError("aynı valid_from tarihi birden fazla kez kullanılmış")
        return sorted(values, key=lambda v: v.valid_from)

    def at(self, on: dt.date | None = None) -> Decimal:
        """Value in force on the given date (today when omitted)."""
        return self.entry_at(on).value

    def entry_at(self, on: dt.date | None = None) -> ParameterValue:
        on = on or dt.date.today()
        current = [v for v in self.values if v.valid_from <= on and v.in_force]
        if not current:
            raise LookupError(f"{on} tarihinde geçerli değer yok ({self.description})")
        return current[-1]

    def reported(self) -> list[ParameterValue]:
        """Values reported for a later call but not (yet) confirmed: never in force."""
        return [v for v in self.values if not v.in_force]
