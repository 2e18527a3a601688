"""Property-based fuzzing (hypothesis) of everything that takes free text from outside: every
question of the questionnaire engine, the `kume` command line (check, budget, match, leads)
and the lead exports. Hostile input: emoji, right-to-left text, zero-width and control
characters, 10 000-character messages, HTML and Markdown markup, spreadsheet formulas,
numbers in words and with separators.

Properties: the engine always returns a Step and never raises; the CLI exits 0 or 2 with a
single-line Turkish error and no traceback; exports keep every text intact and formula-safe.
The same inputs go through the real bot in tests/test_faults_bot.py.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.cli.main import main as kume
from bot.leads.backend import open_store
from bot.leads.export import FORMULA_PREFIXES, export_bytes
from bot.leads.record import new_lead
from eligibility import questionnaire as qn
from eligibility.text import fold

FUZZ = settings(
    max_examples=50,
    deadline=None,  # the first call loads content and indexes; later ones are fast
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Hand-picked hostile pieces; hypothesis mixes them with each other and with random text.
NASTY = [
    "🏭🇹🇷👩‍🔧 Deneme",
    "مرحبا بالعالم شركة",
    "שלום עולם",
    "\u202eevil\u202c Ltd.",
    "\u200b\u200c\u200d\ufeff\u2060",
    "\x00\x01\x07\x1b[31mkırmızı\x7f",
    "satır\r\nsatır\rsatır\n",
    "\t\t",
    "<b>kalın</b> <i>eğik",
    "</b></i></a>",
    "<script>alert(1)</script>",
    '<a href="javascript:alert(1)">tıkla</a>',
    "&amp; &lt; &gt; &quot; &#0; &#x110000; &bogus; & < >",
    "*kalın* _eğik_ `kod` ~üstü~ ||gizli|| [bağlantı](http://example.com)",
    "```\nkod bloğu\n```",
    '=HYPERLINK("http://example.com","tıkla")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "yirmi beş",
    "yirmibeş",
    "on bin",
    "1.000.000",
    "1,5",
    "1 000",
    "٣٤",
    "²³",
    "Ⅻ",
    "-5",
    "0",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "",
    " ",
    "İıŞşĞğÜüÖöÇç Ââ",
    "K.Maraş",
    "0 (532) 123-45-67",
    "+90 532 123 45 67 ext. 5",
    "a@b",
    "ayse@deneme.example",
    "evet hayır",
    "geç",
]

nasty_piece = st.sampled_from(NASTY)
any_text = st.text(st.characters(codec="utf-8"), max_size=200)
long_text = st.builds(
    lambda unit, n: (unit * (10_000 // max(1, len(unit)) + 1))[:n],
    st.sampled_from([*NASTY[:20], "ş", "a", "🏭"]).filter(bool),
    st.sampled_from([4096, 4097, 5000, 10_000]),
)
hostile_text = st.one_of(
    nasty_piece,
    any_text,
    long_text,
    st.lists(st.one_of(nasty_piece, any_text), min_size=2, max_size=5).map(" ".join),
)

# A valid answer to each question, to walk up to the question under test.
VALID = {
    "chamber_of_industry_in_region": "evet",
    "chambers_of_industry": "1",
    "chambers_of_commerce_and_industry": "1",
    "universities": "1",
    "committed_firms": "20",
    "firm": "Deneme Makina Ltd.",
    "province": "Samsun",
    "sector": "mobilya",
    "size_band": "2",
    "role": "1",
    "needs": "ortak test laboratuvarı kurmak istiyoruz",
    "notice": "okudum",
    "consent": "evet",
    "contact_name": "Ayşe Deneme",
    "phone": "0532 123 45 67",
    "email": "ayse@deneme.example",
}


# Answers that open the branch a question sits on.
BRANCH = {"chambers_of_commerce_and_industry": {"chamber_of_industry_in_region": "hayır"}}


def valid_answer(question_id: str, target: str | None = None) -> str:
    if question_id in BRANCH.get(target or "", {}):
        return BRANCH[target][question_id]
    return "evet" if question_id.startswith(qn.READINESS_PREFIX) else VALID[question_id]


def all_questions() -> list[tuple[str, str]]:
    q = qn.get_questionnaire()
    return [(pid, question.id) for pid, path in q.paths.items() for question in path.questions]


def session_at(path_id: str, question_id: str) -> qn.Session:
    """A session whose current question is `question_id`, reached with valid answers."""
    session = qn.start(path_id)
    for _ in range(50):
        current = qn.current_question(session)
        assert current is not None, f"{question_id} not reached on {path_id}"
        if current.id == question_id:
            return session
        step = qn.answer(session, valid_answer(current.id, question_id))
        assert step.kind == "question", (current.id, step.message)
    raise AssertionError(f"{question_id} not reached")


def session_at_summary(path_id: str) -> qn.Session:
    session = qn.start(path_id)
    while (current := qn.current_question(session)) is not None:
        qn.answer(session, valid_answer(current.id))
    assert session.stage == "summary" or qn.current_step(session).kind == "summary"
    return session


# --------------------------------------------------------------------------- engine


def test_every_question_is_reachable_for_fuzzing():
    questions = all_questions()
    assert {"firm", "sector", "needs", "contact_name", "phone", "email", "province"} <= {
        qid for _, qid in questions
    }
    for path_id, question_id in questions:
        assert qn.current_question(session_at(path_id, question_id)).id == question_id


@pytest.mark.parametrize(("path_id", "question_id"), all_questions())
@FUZZ
@given(text=hostile_text)
def test_engine_answers_every_question_without_raising(path_id, question_id, text):
    session = session_at(path_id, question_id)
    answered_before = len(session.answers)
    step = qn.answer(session, text)
    assert isinstance(step, qn.Step)
    assert step.kind in {"question", "reask", "summary", "result"}
    messages = qn.get_questionnaire().messages
    word = fold(text)
    if word and word in {fold(w) for w in messages.back_words + messages.restart_words}:
        # "geri" / "baştan" navigate instead of answering
        assert step.kind == "question" and question_id not in session.answers
        assert len(session.answers) < max(answered_before, 1)
    elif step.kind == "reask":
        assert step.message and step.question is not None
        assert question_id not in session.answers  # a refused answer is not kept
    else:
        assert question_id in session.answers
        value = session.answers[question_id]
        if isinstance(value, str):
            assert len(value) <= 1000, "an accepted answer is bounded"
    # The session stays plain JSON, whatever was typed (the bot persists it).
    restored = qn.Session.from_dict(json.loads(json.dumps(session.to_dict())))
    assert restored.answers == session.answers
    # Summary lines are strings, ready to be escaped by the front end.
    for label, shown in qn.summary(session):
        assert isinstance(label, str) and isinstance(shown, str)


@pytest.mark.parametrize("path_id", sorted(qn.get_questionnaire().paths))
@settings(FUZZ, max_examples=40)
@given(text=hostile_text)
def test_engine_summary_and_result_take_any_text(path_id, text):
    session = session_at_summary(path_id)
    step = qn.answer(session, text)
    assert step.kind in {"question", "reask", "summary", "result"}
    if step.kind == "result":
        assert step.result is not None and step.result.path == path_id
    # Once done, more text only repeats the result.
    if session.stage == "done":
        assert qn.answer(session, text).kind == "result"


@settings(FUZZ, max_examples=60)
@given(text=hostile_text)
def test_needs_text_reaches_the_matcher_safely(text):
    assume(3 <= len(" ".join(text.split())) <= 1000)
    session = session_at("firma", "needs")
    step = qn.answer(session, text)
    if sum(ch.isalpha() for ch in text) < 3:  # emoji or marks only (issue 11): a clear hint
        assert step.kind == "reask" and step.question.id == "needs"
        return
    assert step.kind == "question"
    for _ in range(5):  # the KVKK notice, consent, then the contact details
        current = qn.current_question(session)
        if current is None:
            break
        qn.answer(session, valid_answer(current.id))
    step = qn.answer(session, "evet")
    assert step.kind == "result"
    for match in step.result.matches:
        assert 0 <= match.score <= 100


# --------------------------------------------------------------------------- CLI


def run_kume(argv: list[str], stdin: str | None = None) -> tuple[int, str, str]:
    """`kume ...` in-process; any exception escaping main() fails the test (a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = kume(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def assert_clean_exit(code: int, out: str, err: str) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2 and "usage:" not in err:
        lines = err.strip().splitlines()
        assert len(lines) == 1, f"error must be one line: {err!r}"
        assert lines[0].startswith("kume: ")


json_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_value = st.recursive(
    json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
check_doc = st.fixed_dictionaries(
    {},
    optional={
        "chambers_of_industry": json_scalar,
        "chambers_of_commerce_and_industry": json_scalar,
        "universities": json_scalar,
        "chamber_of_industry_in_region": json_scalar,
        "committed_firms": json_scalar,
        "readiness": st.one_of(json_value, st.dictionaries(hostile_text, json_scalar)),
    },
)
budget_doc = st.one_of(
    json_value,
    st.fixed_dictionaries(
        {
            "items": st.lists(
                st.fixed_dictionaries(
                    {"name": hostile_text, "cost": json_scalar},
                    optional={"category": hostile_text, "activity": hostile_text},
                ),
                max_size=5,
            )
        },
        optional={"previous_grants": json_scalar},
    ),
)


def _write(data: object | str) -> str:
    fd, name = tempfile.mkstemp(suffix=".json")
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False))
    return name


@settings(FUZZ, max_examples=100)
@given(doc=st.one_of(check_doc, json_value, hostile_text), on=st.none() | hostile_text)
def test_kume_check_never_crashes(doc, on):
    path = _write(doc)
    try:
        argv = ["check", path] + ([f"--on={on}"] if on is not None else [])
        code, out, err = run_kume(argv)
    finally:
        Path(path).unlink()
    assert_clean_exit(code, out, err)
    if code == 0:
        assert "eligible" in json.loads(out)


@settings(FUZZ, max_examples=100)
@given(doc=st.one_of(budget_doc, hostile_text))
def test_kume_budget_never_crashes(doc):
    path = _write(doc)
    try:
        code, out, err = run_kume(["budget", path])
    finally:
        Path(path).unlink()
    assert_clean_exit(code, out, err)
    if code == 0:
        json.loads(out)


@settings(FUZZ, max_examples=100)
@given(
    text=hostile_text, limit=st.one_of(st.sampled_from(["5", "1", "0", "-1", "x"]), hostile_text)
)
def test_kume_match_never_crashes(text, limit):
    code, out, err = run_kume(["match", f"--limit={limit}", "--json", "--", text])
    assert_clean_exit(code, out, err)
    if code == 0:
        rows = json.loads(out)
        assert all(0 <= row["score"] <= 100 for row in rows)


# --------------------------------------------------------------------------- leads CLI


@pytest.fixture(scope="module")
def leads_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("fuzz-leads") / "data"
    store = open_store(data_dir)
    for i in range(3):
        store.add(new_lead(source="test", user_key=f"test:{i}", consent=None, firm=f"Deneme {i}"))
    return data_dir


@settings(FUZZ, max_examples=40)
@given(
    command=st.sampled_from(["status", "note", "show", "centre"]),
    lead_id=st.one_of(st.sampled_from(["1", "#2", "3", "0", "-1", "999", "1.5"]), hostile_text),
    value=hostile_text,
)
def test_kume_leads_commands_never_crash(leads_dir, command, lead_id, value):
    args = {
        "status": ["status", "--data-dir", str(leads_dir), "--by", "Deneme", "--", lead_id, value],
        "note": ["note", "--data-dir", str(leads_dir), "--by", "Deneme", "--", lead_id, value],
        "show": ["show", "--data-dir", str(leads_dir), "--", lead_id],
        "centre": ["centre", "--data-dir", str(leads_dir), "--by", "Deneme", "--", lead_id, value],
    }[command]
    code, out, err = run_kume(["leads", *args])
    assert_clean_exit(code, out, err)
    # The file is always whole and readable after whatever happened.
    assert len(open_store(leads_dir).list()) == 3


@settings(FUZZ, max_examples=30)
@given(
    centre=st.none() | hostile_text,
    status=st.none() | hostile_text,
    since=st.none() | hostile_text,
)
def test_kume_leads_list_filters_never_crash(leads_dir, centre, status, since):
    argv = ["leads", "list", "--data-dir", str(leads_dir)]
    for option, value in (("--centre", centre), ("--status", status), ("--since", since)):
        if value is not None:
            argv.append(f"{option}={value}")
    assert_clean_exit(*run_kume(argv))


# --------------------------------------------------------------------------- exports


def formula_safe(cell: str) -> bool:
    return not cell.startswith(FORMULA_PREFIXES)


def fuzz_lead(i: int, firm: str, person: str, needs: str, note: str) -> dict:
    lead = new_lead(
        source="test",
        user_key=f"test:{i}",
        consent={"version": "test", "at": "2026-11-25T06:00:00+00:00"},
        firm=firm,
        contact_name=person,
        phone="+905321234567",
        email="ayse@deneme.example",
        province="Samsun",
        centre="samsun",
        sector=firm[:50],
        needs_text=needs,
    )
    lead["id"] = i
    lead["notes"] = [{"text": note, "by": person, "at": "2026-11-25T06:00:00+00:00"}]
    return lead


@settings(FUZZ, max_examples=60)
@given(firm=hostile_text, person=hostile_text, needs=hostile_text, note=hostile_text)
def test_csv_export_is_formula_safe_and_keeps_text(firm, person, needs, note):
    lead = fuzz_lead(1, firm, person, needs, note)
    data = export_bytes([lead], "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 2, "one header and one row, whatever the text holds"
    header, row = rows
    assert len(row) == len(header)
    for cell in row:
        assert formula_safe(cell), cell
    by_col = dict(zip(header, row, strict=True))
    for column, original in (("Firma", firm), ("İletişim kişisi", person), ("İhtiyaçlar", needs)):
        shown = by_col[column]
        assert shown in (original, "'" + original), f"{column} changed: {original!r} → {shown!r}"


@settings(FUZZ, max_examples=30)
@given(firm=hostile_text, needs=hostile_text, note=hostile_text)
def test_xlsx_export_has_no_formulas_and_keeps_text(firm, needs, note):
    from openpyxl import load_workbook

    lead = fuzz_lead(1, firm, "Ayşe Deneme", needs, note)
    book = load_workbook(io.BytesIO(export_bytes([lead], "xlsx")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    row = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    for cell in row:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):  # a string cell: never run as a formula
            assert cell.data_type == "s", (cell.coordinate, cell.value)
    shown = row[header.index("Firma")].value or ""
    # xlsx cannot hold most control characters: those are dropped, the rest is kept as typed.
    kept = "".join(ch for ch in firm if ch in "\t\n\r" or ord(ch) >= 0x20)
    assert shown == kept or (not kept and shown in ("", None))


@pytest.mark.timeout(120)
@settings(FUZZ, max_examples=25)
@given(note=hostile_text)
def test_cli_note_then_export_stays_formula_safe(leads_dir, note):
    code, out, err = run_kume(
        ["leads", "note", "--data-dir", str(leads_dir), "--by", "Deneme", "--", "1", note]
    )
    assert_clean_exit(code, out, err)
    target = Path(tempfile.mkdtemp()) / "basvurular.csv"
    code, out, err = run_kume(
        ["leads", "export", "--data-dir", str(leads_dir), "--format", "csv", "--out", str(target)]
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 4
    for row in rows[1:]:
        assert all(formula_safe(cell) for cell in row), row
    target.unlink()
