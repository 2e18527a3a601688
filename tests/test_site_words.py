"""Every word a user reads on the site's tools comes from content/: the served scripts
(assets/javascripts/kume-*.js) hold none.

Each served script is read like JavaScript (comments, strings, template and regular
expression literals told apart); it fails on a Turkish letter anywhere but in a comment, and
on a string literal holding a word of the tools' words (content/site_tools.yaml and the bot's
words the tools reuse), naming the file and line. The "no programme figure in any served
script" test in test_site_tools.py keeps the figures out the same way.
"""

from __future__ import annotations

import re

import pytest

from eligibility.content import get_content
from eligibility.text import fold
from eligibility.tool_data import words_data

TURKISH = re.compile(r"[çğıöşüÇĞİÖŞÜâîûÂÎÛ]")
# After these a "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"", "return", "typeof"}


def literals(source: str) -> list[tuple[int, str, str]]:
    """(line, kind, text) for the script's code and literals, comments left out; kind is
    "code", "string", "template" or "regex"."""
    out: list[tuple[int, str, str]] = []
    i, n, line, code, last = 0, len(source), 1, [], ""
    code_line = 1

    def flush() -> None:
        if code:
            out.append((code_line, "code", "".join(code)))
            code.clear()

    while i < n:
        ch, nxt = source[i], source[i + 1 : i + 2]
        if ch == "/" and nxt in "/*":  # a comment
            end = source.find("\n" if nxt == "/" else "*/", i + 2)
            end = n if end < 0 else end + (0 if nxt == "/" else 2)
            line += source.count("\n", i, end)
            i = end
            continue
        if ch in "\"'`" or (ch == "/" and last in _REGEX_AFTER):
            flush()
            j, start = i + 1, line
            in_class = False
            while j < n:
                c = source[j]
                if c == "\\":
                    j += 2
                    continue
                if ch == "/" and c in "[]":
                    in_class = c == "["
                elif c == ch and not (ch == "/" and in_class):
                    break
                if c == "\n":
                    line += 1
                j += 1
            kind = {"`": "template", "/": "regex"}.get(ch, "string")
            out.append((start, kind, source[i + 1 : j]))
            i, last = j + 1, ")"  # after a literal, "/" divides
            continue
        if not code:
            code_line = line
        code.append(ch)
        if ch == "\n":
            line += 1
        if not ch.isspace():
            word = re.search(r"[A-Za-z_$][\w$]*$", "".join(code))
            last = word.group(0) if word and ch.isalnum() else ch
        i += 1
    flush()
    return out


def vocabulary() -> set[str]:
    """The folded words of the tools' words: what a script must read, never write."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            text = fold(re.sub(r"\{[a-z_]+\}", " ", value))
            # Words, not addresses: "kumelenme.sanayi.gov.tr" gives no "tr" (a table row).
            bare = (_bare(token) for token in text.split())
            found.update(w for w in bare if re.fullmatch(r"[a-z]{2,}(['’][a-z]+)?", w))

    walk(words_data(get_content()))
    return found


def _bare(token: str) -> str:
    return fold(token.strip(" .,:;!?()[]«»“”\"'—–-"))


def problems(name: str, source: str, words: set[str]) -> list[str]:
    out = []
    for line, kind, text in literals(source):
        if TURKISH.search(text):
            out.append(f"{name}:{line}: Turkish letter in {kind} {text.strip()[:60]!r}")
        elif kind in ("string", "template"):
            for token in text.split():
                bare = _bare(token)
                if bare in words:
                    out.append(f"{name}:{line}: word {bare!r} of content/ in {text[:60]!r}")
                    break
    return out


def test_no_served_script_writes_a_word_of_its_own(site):
    scripts = sorted((site / "assets" / "javascripts").glob("kume-*.js"))
    assert {"kume-core.js", "kume-check.js", "kume-calc.js", "kume-centre.js"} <= {
        s.name for s in scripts
    }
    words = vocabulary()
    assert {"devam", "degistir", "hesapla", "kalem", "evet", "hayir", "geri"} <= words
    found = [p for s in scripts for p in problems(s.name, s.read_text(encoding="utf-8"), words)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        'el("button", { text: "Devam" })',
        "var label = 'Kalem ekle'",
        "li.textContent = `${n}. kalemin adı`",
        'if (!ok) throw new Error("kural bulunamadı")',
        "s = s.replace(/İ/g, x)",
        'var labels = ["Tutar", "Kalem"]',
    ],
)
def test_the_check_catches_a_word_written_in_a_script(snippet):
    assert problems("copy.js", f"/* a comment: Değiştir */\n{snippet}\n", vocabulary())


def test_the_reader_tells_comments_strings_and_regexes_apart():
    source = (
        '// "Devam" in a comment\nvar url = "https://x/y" // a comment\n'
        "var r = a / b / c; var s = /[/\"]+/g.test(t) ? 'a' : `b ${c}`\n"
        "/* Kalem */ x = '\\'' + \"\\\"\""
    )
    found = [(line, kind, text) for line, kind, text in literals(source) if kind != "code"]
    assert found == [
        (2, "string", "https://x/y"),
        (3, "regex", '[/"]+'),
        (3, "string", "a"),
        (3, "template", "b ${c}"),
        (4, "string", "\\'"),
        (4, "string", '\\"'),
    ]
    assert not problems("ok.js", source.replace("Kalem", "x"), {"devam"})


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


# A word both files hold with a different meaning: a lead's "source" field (labels.yaml) and
# the folded citation's summary (site_tools.yaml).
HOMONYMS = {"kaynak"}


def test_site_tools_yaml_restates_no_word_the_bot_owns():
    """Where the bot already has the word (labels.yaml, questionnaire.yaml's messages,
    notices.yaml), the tools take it from there (tool_data.words_data "shared")."""
    from eligibility.labels import get_labels
    from eligibility.questionnaire import get_questionnaire

    content = get_content()
    owned = _strings(get_labels().model_dump())
    owned += _strings(get_questionnaire().messages.model_dump())
    owned += _strings(content.notices.model_dump())
    owned_bare = {_bare(re.sub(r"^\W+|\W+$", "", s)) for s in owned} - {""} - HOMONYMS
    restated = [s for s in _strings(content.site_tools.model_dump()) if _bare(s) in owned_bare]
    assert not restated, restated
