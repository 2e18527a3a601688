"""content/ is the only owner of facts and words: production Python must not restate them.

A centre id, a firm-size band, a navigation / skip / yes-no word or a lead-field label written
as a string literal in bot/ or eligibility/ is a copy that silently stops agreeing when the
YAML is edited (it happened: three lists of navigation words, four lists of field labels).
This test reads every string literal (f-string pieces included) and fails on such a copy,
naming the file and line.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from eligibility.content import get_content
from eligibility.labels import get_labels
from eligibility.questionnaire import get_questionnaire
from eligibility.text import fold

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = [ROOT / "bot", ROOT / "eligibility"]
_TAGS = re.compile(r"<[^<>]*>")

# Deliberate uses of a word that content also owns, each with its reason.
ALLOWED = {
    ("eligibility/validators.py", "yok"): "count vocabulary: 'yok' means zero firms",
    ("bot/telegram/user/menu.py", "yardim"): "a Telegram command name (/yardim)",
    ("bot/telegram/user/handlers.py", "yardim"): "a Telegram command name (/yardim)",
    ("bot/chat/render.py", "Kaynak"): "the source of a cited rule, not a lead's source field",
    ("eligibility/tool_data.py", "yes"): "a key of the site tools' JSON, not a word users read",
}
_EDGES = " \t\n:;,.!?()[]«»“”\"'•—–-"


def _literals(path: Path) -> list[tuple[int, str, bool]]:
    """(line, text, whole) of every string literal; `whole` is False for a piece of an
    f-string (a sentence fragment such as " yok" in f"{path}: dosya yok")."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    pieces = {
        id(value)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for value in node.values
    }
    return [
        (node.lineno, node.value, id(node) not in pieces)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _production_literals() -> list[tuple[str, int, str, bool]]:
    found = []
    for root in PRODUCTION:
        for path in sorted(root.rglob("*.py")):
            for line, text, whole in _literals(path):
                found.append((str(path.relative_to(ROOT)), line, text, whole))
    return found


def _bare(text: str) -> str:
    """A literal without markup and the punctuation around it: "<b>Firma:</b> " → "Firma"."""
    return _TAGS.sub("", text).strip(_EDGES)


def _owned_words() -> dict[str, set[str]]:
    content = get_content()
    messages = get_questionnaire().messages
    sizes = {
        o.value
        for path in get_questionnaire().paths.values()
        for question in path.questions
        if question.id == "size_band"
        for o in question.options
    }
    navigation = {
        fold(w)
        for words in (
            messages.back_words, messages.restart_words, messages.quit_words,
            messages.help_words, messages.skip_words, messages.yes_words, messages.no_words,
        )
        for w in words
        if len(fold(w)) >= 3  # "e", "h", "-", "?" are also ordinary code tokens
    }  # fmt: skip
    return {
        "centre id": {c.id for c in content.project.centres},
        "size band": sizes,
        "navigation word": navigation,
        "field label": set(get_labels().lead_fields.values()),
    }


def restated(literals: list[tuple[str, int, str, bool]]) -> list[str]:
    owned = _owned_words()
    problems = []
    for where, line, text, whole in literals:
        bare = _bare(text)
        if not bare or (where, bare) in ALLOWED:
            continue
        for what, words in owned.items():
            if what == "navigation word" and not whole:
                continue
            candidate = fold(bare) if what == "navigation word" else bare
            if candidate in words:
                problems.append(f"{where}:{line}: {what} {text!r} belongs to content/")
    return problems


def test_production_python_restates_no_content_words():
    problems = restated(_production_literals())
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ('CENTRES = ("corum", "samsun")', "centre id"),
        ('BANDS = ["1-9", "10-49"]', "size band"),
        ('if word in {"geri", "bastan"}: pass', "navigation word"),
        ('line = f"<b>İletişim kişisi:</b> {name}"', "field label"),
    ],
)
def test_the_check_catches_each_kind_of_copy(tmp_path, source, what):
    module = tmp_path / "copy.py"
    module.write_text(source + "\n", encoding="utf-8")
    problems = restated([("copy.py", *literal) for literal in _literals(module)])
    assert problems and all(what in p for p in problems)


@pytest.mark.slow
def test_a_sixth_centre_is_a_yaml_change(tmp_path):
    """A centre added to content/project.yaml is routed to, accepted in the settings and
    named everywhere, with no code change (here: a made-up Ordu centre for the test)."""
    import os
    import shutil
    import subprocess
    import sys

    import yaml

    from eligibility.content import content_dir

    content = tmp_path / "content"
    shutil.copytree(content_dir(), content)
    project_file = content / "project.yaml"
    project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    sixth = dict(project["centres"][-1], id="ordu", province="Ordu", host="Deneme Ordu Odası")
    project["centres"].append(sixth)
    project_file.write_text(yaml.safe_dump(project, allow_unicode=True), encoding="utf-8")
    script = """
import sys
from bot.config import Settings
from bot.leads.staff import resolve_centre
from bot.leads.views import centre_name
from eligibility.routing import centre_for
settings = Settings.from_env({"KUME_STAFF": "ordu:111"}, dotenv_path=None)
print(sorted(settings.centres_of(111)), centre_for("Ordu").centre.id, resolve_centre("ORDU"),
      centre_name("ordu"))
"""
    env = dict(os.environ, KUME_CONTENT_DIR=str(content))
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["['ordu']", "ordu", "ordu", "Ordu", "Kümelenme", "Bilgi",
                                   "Merkezi"]  # fmt: skip
