"""A finished firm walk becomes a lead: built from the engine's `Result` (answers, routing,
matches, consent, the verdict of an earlier eligibility walk) with nothing recomputed."""

from __future__ import annotations

from bot.leads.record import Lead, new_lead
from eligibility.nace import division_name
from eligibility.questionnaire import Result


class NotALead(ValueError):
    """The result cannot become a lead: not a firm walk, or no KVKK consent."""


def lead_from_result(result: Result, *, user_key: str, source: str, consent_version: str) -> Lead:
    """The lead of a consented firm walk; no id yet (the store assigns it). Raises NotALead
    rather than keep anything the user did not agree to."""
    if not result.saves_lead:
        raise NotALead("yalnızca KVKK onayı verilmiş bir firma yanıtından kayıt oluşturulur")
    answers = result.answers
    routing = result.routing
    return new_lead(
        source=source,
        user_key=user_key,
        submission_key=result.submission_key,
        consent={"version": consent_version, "at": result.consent_at},
        firm=answers.get("firm") or "",
        contact_name=answers.get("contact_name") or "",
        phone=answers.get("phone"),
        email=answers.get("email"),
        province=answers.get("province"),
        centre=routing.centre.id if routing is not None else None,
        # the sector question answers a NACE division code (eligibility/kinds/sector.py)
        sector=division_name(answers.get("sector")) or None,
        nace=answers.get("sector"),
        size_band=answers.get("size_band"),
        role=answers.get("role"),
        needs_text=answers.get("needs") or "",
        matched_activities=[m.activity_id for m in result.matches],
        eligibility=result.eligibility,
        # The information notice is acknowledged apart from consent (its own step, time).
        kvkk_notice={"version": consent_version, "at": result.notice_at},
        # For staff: which of the user's own words led to each matched activity.
        match_evidence={m.activity_id: m.evidence for m in result.matches if m.evidence},
    )
