"""Clusters forming: per province and NACE division, how many interested firms there are
against the programme's threshold of committed firms (content/parameters.yaml
`min_committed_firms`, the seed's "en az yirmi firma"), and whether a chamber and a
university of that province are already among the leads.

"Samsun · Mobilya imalatı (31): 14 firma — 6 firma daha gerekli". Firms are counted once
(bot/leads/progress.py `firm_key`) whatever their size; merged duplicates are not counted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads.progress import firm_key, is_firm, is_merged
from eligibility.nace import division_name
from eligibility.staff_words import SmeRule, get_staff_words, staff_text


@dataclasses.dataclass(frozen=True)
class Cluster:
    province: str
    nace: str
    sector: str  # the division's TÜİK name
    firms: int
    threshold: int
    chamber: bool  # a chamber of this province left a lead
    university: bool  # a university of this province left a lead

    @property
    def missing(self) -> int:
        return max(0, self.threshold - self.firms)

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "missing": self.missing}


def threshold(content: Any = None) -> int:
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    return int(content.parameters[get_staff_words().cluster_threshold_parameter].at())


def forming_clusters(
    leads: Iterable[Mapping[str, Any]], limit: int, rule: SmeRule | None = None
) -> list[Cluster]:
    """Every (province, division) with at least one interested firm, most firms first."""
    rule = rule or get_staff_words().sme_rule
    firms: dict[tuple[str, str], set[str]] = {}
    chambers: set[str] = set()
    universities: set[str] = set()
    for lead in leads:
        province = lead.get("province")
        if is_merged(lead) or not province:
            continue
        role = lead.get("role")
        if role in rule.chamber_roles:
            chambers.add(province)
        elif role in rule.university_roles:
            universities.add(province)
        elif is_firm(lead, rule) and lead.get("nace"):
            firms.setdefault((province, str(lead["nace"])), set()).add(firm_key(lead))
    clusters = [
        Cluster(
            province,
            code,
            division_name(code),
            len(keys),
            limit,
            province in chambers,
            province in universities,
        )
        for (province, code), keys in firms.items()
    ]
    return sorted(clusters, key=lambda c: (-c.firms, c.province, c.nace))


def cluster_line(c: Cluster) -> str:
    key = "clusters.line" if c.missing else "clusters.line_reached"
    return staff_text(
        key,
        province=c.province,
        sector=c.sector,
        code=c.nace,
        count=c.firms,
        missing=c.missing,
        threshold=c.threshold,
    )


def clusters_text(clusters: list[Cluster], limit: int) -> str:
    """Plain text for /kumeler and `kume kumeler`."""
    from eligibility.labels import get_labels

    labels = get_labels()
    from eligibility.dating import figure_basis

    basis = figure_basis(get_staff_words().cluster_threshold_parameter)
    lines = [staff_text("clusters.title", threshold=limit, basis=basis)]
    if not clusters:
        lines.append(staff_text("clusters.none"))
    for c in clusters:
        lines.append(cluster_line(c))
        lines.append(
            staff_text(
                "clusters.partners",
                chamber=labels.yes_no(c.chamber),
                university=labels.yes_no(c.university),
            )
        )
    return "\n".join(lines)
