"""Turn a completed firm questionnaire into a lead record (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

from typing import Any

from bot.leads.record import new_lead
from eligibility.questionnaire import Session, get_questionnaire, match_needs


class IncompleteSession(ValueError):
    """The session cannot become a lead: not confirmed, not a firm path, or no consent."""


def build_lead(
    session: Session | dict[str, Any],
    *,
    user_key: str,
    source: str,
    consent_version: str,
    consent_at: str | None = None,
    questionnaire: Any = None,
    content: Any = None,
) -> dict[str, Any]:
    """The lead of a confirmed firm session with KVKK consent; no id yet (the store sets it).

    Raises IncompleteSession rather than saving anything the user did not agree to.
    """
    from eligibility.routing import centre_for

    if isinstance(session, dict):
        session = Session.from_dict(session)
    path = (questionnaire or get_questionnaire()).paths.get(session.path)
    if path is None or path.result != "firm":
        raise IncompleteSession("yalnızca firma oturumundan başvuru kaydı oluşturulabilir")
    if session.stage != "done":
        raise IncompleteSession("oturum henüz onaylanmadı")
    answers = session.answers
    if answers.get("consent") is not True:
        raise IncompleteSession("KVKK onayı verilmediği için kayıt oluşturulamaz")
    province = answers.get("province")
    routing = centre_for(province, content) if province else None
    needs = answers.get("needs") or ""
    return new_lead(
        source=source,
        user_key=user_key,
        consent={"version": consent_version, "at": consent_at or session.consent_at},
        firm=answers.get("firm") or "",
        contact_name=answers.get("contact_name") or "",
        phone=answers.get("phone"),
        email=answers.get("email"),
        province=province,
        centre=routing.centre.id if routing else None,
        sector=answers.get("sector"),
        size_band=answers.get("size_band"),
        role=answers.get("role"),
        needs_text=needs,
        matched_activities=[m.activity_id for m in match_needs(needs)] if needs else [],
        eligibility=None,  # the firm path asks no eligibility questions
    )
