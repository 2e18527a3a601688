"""What a finished walk decided (`Result`): the verdict of the kume path, or the matches,
Knowledge Centre and consent of the firma path. Front ends and lead intake read it and never
compute any of it again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eligibility.questionnaire_def import READINESS_PREFIX, Questionnaire, get_questionnaire

if TYPE_CHECKING:
    from eligibility.matcher import Match
    from eligibility.questionnaire import Session
    from eligibility.routing import Routing
    from eligibility.rules import Association, Verdict


@dataclass
class Result:
    """Everything a finished walk decided; front ends and lead intake read it, never redo it."""

    path: str
    answers: dict[str, Any]
    verdict: Verdict | None = None  # the kume path's own verdict
    matches: list[Match] = field(default_factory=list)  # the firma path
    routing: Routing | None = None  # the firma path: the Knowledge Centre
    consent: bool = False
    consent_at: str | None = None
    notice_at: str | None = None  # when the KVKK information notice was acknowledged
    earlier_verdict: dict[str, Any] | None = None  # see Session.earlier_verdict
    submission_key: str | None = None  # see Session.submission_key: the lead's, when saved

    @property
    def saves_lead(self) -> bool:
        """A firm walk with consent: its answers become a lead."""
        return self.verdict is None and self.consent

    @property
    def eligibility(self) -> dict[str, Any] | None:
        """The verdict as JSON: this walk's own, else one carried from an earlier walk."""
        return self.verdict.to_json() if self.verdict is not None else self.earlier_verdict


def association_from(answers: dict[str, Any]) -> Association:
    from eligibility.rules import Association

    return Association(
        chambers_of_industry=answers.get("chambers_of_industry") or 0,
        chambers_of_commerce_and_industry=answers.get("chambers_of_commerce_and_industry") or 0,
        universities=answers.get("universities") or 0,
        chamber_of_industry_in_region=bool(answers.get("chamber_of_industry_in_region")),
        committed_firms=answers.get("committed_firms") or 0,
    )


def readiness_from(answers: dict[str, Any]) -> dict[str, bool | None]:
    """{expectation id: yes / no / None for "bilmiyorum"} (eligibility.rules.evaluate)."""
    from eligibility.kinds.readiness import UNKNOWN

    return {
        key[len(READINESS_PREFIX) :]: None if value == UNKNOWN else value
        for key, value in answers.items()
        if key.startswith(READINESS_PREFIX) and (isinstance(value, bool) or value == UNKNOWN)
    }


def match_needs(text: str) -> list[Match]:
    from eligibility.matcher import match_needs as _match

    return list(_match(text))


def compute_result(session: Session, questionnaire: Questionnaire | None = None) -> Result:
    """The verdict (kume) or matches + Knowledge Centre (firma) of a confirmed session."""
    path = (questionnaire or get_questionnaire()).paths[session.path]
    answers = dict(session.answers)
    if path.result == "eligibility":
        from eligibility.rules import evaluate

        verdict = evaluate(association_from(answers), readiness=readiness_from(answers))
        return Result(
            path=path.id, answers=answers, verdict=verdict, submission_key=session.submission_key
        )
    from eligibility.routing import centre_for

    consent = answers.get("consent") is True
    needs = answers.get("needs") or ""
    return Result(
        path=path.id,
        answers=answers,
        matches=match_needs(needs) if needs else [],
        routing=centre_for(answers["province"]) if answers.get("province") else None,
        consent=consent,
        consent_at=session.consent_at if consent else None,
        notice_at=session.notice_at if consent else None,
        earlier_verdict=session.earlier_verdict,
        submission_key=session.submission_key,
    )
