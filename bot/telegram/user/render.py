"""Turkish texts of the user conversation, as Telegram HTML: money and percentages, source
citations, questions and the summary, and the short fixed messages.

Pure functions (no Telegram objects) so that they can be unit-tested without a server. Every
piece of user-provided or content text goes through `esc` before it reaches HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.telegram.html import esc
from eligibility.amounts import format_percent as format_percent
from eligibility.amounts import format_tl as format_tl
from eligibility.models import Citation, Content

# --- citations -------------------------------------------------------------------------


def source_title(source_id: str, content: Content) -> str:
    src = content.sources.get(source_id)
    return src.title if src is not None else source_id


def render_citation(citation: Citation, content: Content, max_quote: int = 600) -> str:
    """One line: 📖 «quote» — source title. Long quotes are shortened with an ellipsis."""
    quote = " ".join(str(citation.quote).split())
    if len(quote) > max_quote:
        quote = quote[: max_quote - 1].rstrip() + "…"
    return f"📖 <i>«{esc(quote)}»</i> — {esc(source_title(citation.source, content))}"


def render_citations(citations: Iterable[Citation], content: Content) -> str:
    seen: set[tuple[str, str]] = set()
    lines = []
    for cit in citations:
        key = (cit.source, cit.quote)
        if key not in seen:
            seen.add(key)
            lines.append(render_citation(cit, content))
    return "\n".join(lines)


# --- menu and questions ----------------------------------------------------------------


def welcome(first_name: str | None = None) -> str:
    hello = f"Hoş geldiniz, {esc(first_name)}!" if first_name else "Hoş geldiniz!"
    return (
        f"{hello} Ben <b>Küme Asistanı</b>. Kümelenme Destek Programı ve KOBİ İşbirliği ve "
        "Kümelenme Projesi hakkında sorularınızı yanıtlıyorum.\n\n"
        "Aşağıdan bir konu seçin ya da sorunuzu yazın. İstediğiniz an /iptal yazarak "
        "yarım kalan işlemi bırakabilirsiniz."
    )


def menu_prompt() -> str:
    return "Ne yapmak istersiniz?"


def render_question(text: str, progress: str | None = None) -> str:
    """A question with its progress marker: "<b>[3/9]</b> Kaç üniversite…"."""
    head = f"<b>[{esc(progress)}]</b> " if progress else ""
    return f"{head}{esc(text)}"


def render_summary(rows: Iterable[tuple[str, str]]) -> str:
    lines = ["<b>Yanıtlarınız</b>"]
    for label, value in rows:
        lines.append(f"• {esc(label)}: <b>{esc(value)}</b>")
    return "\n".join(lines)


def cancelled() -> str:
    return "İşlem iptal edildi. Menüye dönmek için /start yazabilirsiniz."


def fallback() -> str:
    return (
        "Bunu tam anlayamadım. Aşağıdaki konulardan birini seçebilir ya da sorunuzu başka "
        "kelimelerle yazabilirsiniz."
    )


def delete_confirm_prompt(count: int) -> str:
    return (
        f"⚠️ Hakkınızdaki {count} kayıt kalıcı olarak silinecek. Bu işlem geri alınamaz. "
        "Emin misiniz?"
    )


def deleted(count: int) -> str:
    return f"🗑 {count} kayıt silindi. Hakkınızda artık kayıtlı veri yok."


def nothing_to_delete() -> str:
    return "Hakkınızda kayıtlı veri yok; silinecek bir şey bulunmuyor."
