"""The way forward at every ending, as Telegram HTML: the next step of content/next_steps.yaml
(what it means, what to prepare, whom to contact: the user's centre's contact or its host and
whom to ask), and where the programme's official text is. Also the dating notice that goes
with programme figures."""

from __future__ import annotations

from bot.telegram.html import esc, link
from eligibility import site_urls
from eligibility.conversation import dating_line
from eligibility.guidance import next_step
from eligibility.models import Content

_PORTAL = "\x00"  # stands for the portal's link while the text is escaped


def portal_link(content: Content) -> str:
    portal = content.notices.ministry_portal
    return link(portal.url, portal.name)


def render_next_step(
    content: Content, key: str, site_url: str, *, centre_id: str | None = None
) -> str:
    """ "➡️ Sonraki adım: …" with what to prepare, whom to contact and the official text."""
    labels = content.notices.labels
    step = next_step(content, key, centre_id=centre_id, portal=_PORTAL)
    lines = [f"➡️ <b>{esc(labels.next_step)}: {esc(step.title)}</b>", esc(step.text)]
    if step.prepare:
        lines.append("")
        lines.append(f"<b>{esc(labels.prepare)}</b>")
        lines.extend(f"• {esc(item)}" for item in step.prepare)
    lines.append("")
    lines.append(f"<b>{esc(labels.contact)}</b>")
    lines.append(esc(step.contact).replace(_PORTAL, portal_link(content)))
    if step.centre:
        lines.append(esc(step.centre))
    sources = site_urls.page_url(site_urls.SOURCES_PAGE, site_url)
    lines.append("")
    lines.append(f"📖 {esc(labels.programme_text)}: {link(sources, content.sources['kdp'].title)}")
    return "\n".join(lines)


def render_dating_notice(content: Content) -> str:
    """ "Bu bilgiler 2011–2013 tarihli resmî metinlere dayanır…" with the portal linked."""
    text = dating_line(_PORTAL)
    return f"🗓 <i>{esc(text).replace(_PORTAL, portal_link(content))}</i>"
