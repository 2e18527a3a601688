"""The closing section of a page that ends in a result or a rule: the next concrete step
(content/next_steps.yaml via eligibility.guidance), whom to contact, what to prepare, and
where the programme's official text is."""

from __future__ import annotations

from eligibility.guidance import next_step
from eligibility.models import Content
from sitegen import urls
from sitegen.fmt import esc
from sitegen.links import rel
from sitegen.notices import portal_link

SOURCES = "kaynaklar.md"
STEP_CLASS = "kume-next-step"


def next_steps_section(
    content: Content, keys: list[str], page: str, portal_url: str | None = None
) -> str:
    """`## Sonraki adım` with one block per key, ending with the link to the official text."""
    labels = content.notices.labels
    marker = "\x00"  # the portal is a link; esc() would neutralise its brackets
    link = portal_link(content, portal_url)
    parts = [f"## {esc(labels.next_step)} {{#{urls.NEXT_STEP_ANCHOR}}}\n"]
    for key in keys:
        step = next_step(content, key, portal=marker)
        body = [f"### {esc(step.title)}\n", f"{esc(step.text)}\n"]
        if step.prepare:
            body.append(f"**{esc(labels.prepare)}:**\n")
            body.append("\n".join(f"- {esc(item)}" for item in step.prepare) + "\n")
        contact = esc(step.contact).replace(marker, link)
        body.append(f"**{esc(labels.contact)}** {contact}\n")
        parts.append(f'<div class="{STEP_CLASS}" data-step="{key}" markdown>\n')
        parts.extend(body)
        parts.append("</div>\n")
    parts.append(
        f"**{esc(labels.programme_text)}:** [{esc(content.sources['kdp'].title)}]"
        f"({rel(page, SOURCES)})\n"
    )
    return "\n".join(parts)
