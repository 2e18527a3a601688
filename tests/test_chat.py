"""`kume chat` driven through a pipe, as a scripted session would, plus the lead intake."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.leads.backend import open_store
from bot.leads.intake import NotALead, lead_from_result
from bot.leads.record import LEAD_FIELDS
from eligibility import questionnaire as q
from eligibility.content import load_content

ROOT = Path(__file__).resolve().parent.parent
KUME = [sys.executable, "-c", "import sys; from bot.cli.main import main; sys.exit(main())"]

FIRM = [
    "Deneme Makina Ltd.",
    "K.Maraş",
    "makine",
    "35",
    "firma",
    "ortak test laboratuvarı kurmak istiyoruz",
    "okudum",  # the KVKK information notice; consent is the next answer
]
NEEDS = FIRM[-2]
CONTACT = ["Ayşe Deneme", "0532 123 45 67", "ayse@deneme.example"]


def chat(
    tmp_path: Path, lines: list[str], *args: str, crash_at: str = ""
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KUME_DATA_DIR", "KUME_TEST_CRASH_AT")}
    if crash_at:
        env["KUME_TEST_CRASH_AT"] = crash_at  # bot/crashpoints.py
    env["LC_ALL"] = "C"  # the chat must not depend on a UTF-8 locale
    env["PYTHONIOENCODING"] = ""
    return subprocess.run(
        [*KUME, "chat", "--data-dir", str(tmp_path / "data"), *args],
        input="".join(f"{line}\n" for line in lines).encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


def out(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout.decode("utf-8")


def stored(tmp_path: Path) -> list[dict]:
    data = tmp_path / "data"
    if not (data / "leads.json").exists():
        return []
    return open_store(data).list()


def assert_clean(proc: subprocess.CompletedProcess) -> None:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err and "Traceback" not in out(proc)
    assert proc.returncode == 0, err


@pytest.mark.slow
def test_firm_with_consent_stores_a_lead(tmp_path):
    proc = chat(tmp_path, [*FIRM, "evet", *CONTACT, "evet"], "--path", "firma")
    assert_clean(proc)
    text = out(proc)
    assert "[1/11] Firmanızın" in text
    # the information notice, then (its own step) the explicit-consent text
    assert text.index("Kişisel verilerin korunması") < text.index("Açık rıza: Firma")
    assert "Yanıtlarınızın özeti:" in text
    assert "Kahramanmaraş — Kahramanmaraş Ticaret ve Sanayi Odası" in text
    assert "Kayıt numaranız: 1." in text
    leads = stored(tmp_path)
    assert len(leads) == 1
    lead = leads[0]
    assert lead["id"] == 1
    assert lead["firm"] == "Deneme Makina Ltd."
    assert lead["phone"] == "+905321234567"
    assert lead["email"] == "ayse@deneme.example"
    assert lead["province"] == "Kahramanmaraş" and lead["centre"] == "kahramanmaras"
    assert lead["size_band"] == "10-49" and lead["role"] == "firma"
    assert lead["source"] == "chat" and lead["user_key"].startswith("cli:")
    assert lead["consent"]["version"] == load_content().kvkk.version
    assert lead["kvkk_notice"]["version"] == lead["consent"]["version"]
    assert lead["kvkk_notice"]["at"] <= lead["consent"]["at"]  # the notice came first
    assert lead["status"] == "yeni"
    assert "Sonraki adım: Firmanız için sonraki adım" in text
    assert "ifadeniz için" in text  # each match says which words led to it
    assert lead["match_evidence"] and set(lead["match_evidence"]) <= set(lead["matched_activities"])
    assert all(words in NEEDS for words in lead["match_evidence"].values())


@pytest.mark.slow
@pytest.mark.parametrize(
    "crash_at", ["before_lead_write", "after_lead_write", "after_confirmation"]
)
def test_a_run_cut_off_at_the_confirmation_shows_the_same_number_next_time(tmp_path, crash_at):
    """`kume chat` killed (SIGKILL) right before the lead is written, right after, or right
    after the number was printed: the next run finishes that answer first, with the same
    number, and the store holds one lead."""
    import signal

    proc = chat(tmp_path, [*FIRM, "evet", *CONTACT, "evet"], "--path", "firma", crash_at=crash_at)
    assert proc.returncode == -signal.SIGKILL
    shown = "Kayıt numaranız: 1." in out(proc)
    assert shown is (crash_at == "after_confirmation")
    assert len(stored(tmp_path)) == (0 if crash_at == "before_lead_write" else 1)
    assert (tmp_path / "data" / "chat_pending.json").stat().st_mode & 0o777 == 0o600

    again = chat(tmp_path, ["çıkış"], "--path", "firma")
    assert_clean(again)
    text = out(again)
    assert "önceki oturumda onaylanan başvuru tamamlanıyor" in text
    assert "Kayıt numaranız: 1." in text
    (lead,) = stored(tmp_path)
    assert lead["firm"] == "Deneme Makina Ltd." and lead["user_key"].startswith("cli:")
    assert not (tmp_path / "data" / "chat_pending.json").exists()
    third = chat(tmp_path, ["çıkış"], "--path", "firma")  # nothing pending any more
    assert "tamamlanıyor" not in out(third) and len(stored(tmp_path)) == 1


@pytest.mark.slow
def test_firm_refusing_consent_stores_nothing_but_shows_results(tmp_path):
    proc = chat(tmp_path, ["2", *FIRM, "hayır", "evet"])  # path chosen by number
    assert_clean(proc)
    text = out(proc)
    assert "İletişim kurulacak kişinin" not in text  # contact questions skipped
    assert "== Sonuç ==" in text
    assert "Kümelenme Bilgi Merkezi (proje döneminde): Kahramanmaraş" in text
    assert "hiçbir iletişim bilginiz kaydedilmedi" in text
    # the way forward without consent: an association, whom to ask, the programme text
    assert "Sonraki adım: İletişim bilgisi bırakmadan devam etmek" in text
    assert "bu kuruma sorun" in text  # the centre's host, no invented contact
    assert "Programın resmî metni" in text
    assert stored(tmp_path) == []


@pytest.mark.slow
def test_cluster_path_with_reask_back_and_restart(tmp_path):
    content = load_content()
    minimum = int(content.parameters["min_committed_firms"].at())
    readiness = ["evet"] * len(content.rules.readiness)
    lines = [
        "hayır",
        "2",
        "bilmiyorum",
        "1",  # invalid count re-asked
        "geri",
        "3",  # back re-asks universities
        "başa",  # restart
        "evet",
        "0",
        "1",
        str(minimum),
        *readiness,
        "evet",
    ]
    proc = chat(tmp_path, lines, "--path", "kume")
    assert_clean(proc)
    text = out(proc)
    assert "! Yanıtta bir sayı bulamadım" in text  # one message for the problem
    assert "Baştan başlıyoruz." in text
    assert "karşılamıyor" in text  # no chamber of industry in the association
    assert "Kaynak:" in text and "«" in text  # reasons come with their citation
    assert "Yapılabilecekler:" in text
    assert stored(tmp_path) == []


@pytest.mark.slow
@pytest.mark.parametrize("ending", [[], ["çıkış"], ["cikis"]])
def test_quitting_midway_saves_nothing(tmp_path, ending):
    proc = chat(tmp_path, [*FIRM, "evet", "Ayşe Deneme", *ending], "--path", "firma")
    assert_clean(proc)
    assert "hiçbir bilgi kaydedilmedi" in out(proc)
    assert stored(tmp_path) == []


@pytest.mark.slow
def test_data_dir_from_environment(tmp_path):
    env = dict(os.environ, KUME_DATA_DIR=str(tmp_path / "env-data"))
    lines = [*FIRM, "evet", *CONTACT, "evet"]
    proc = subprocess.run(
        [*KUME, "chat", "--path", "firma"],
        input="".join(f"{line}\n" for line in lines).encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert_clean(proc)
    assert len(open_store(tmp_path / "env-data").list()) == 1


# --- lead intake (in process) -----------------------------------------------------------


def _result_of(answers: list[str]) -> q.Result:
    session = q.start("firma")
    step = q.current_step(session)
    for raw in [*answers, "evet"]:
        step = q.answer(session, raw)
    assert step.result is not None
    return step.result


def test_lead_from_result_has_every_field_and_recomputes_nothing(monkeypatch):
    result = _result_of([*FIRM, "evet", *CONTACT])
    # The Result already holds routing and matches: intake must not ask the engine again.
    import eligibility.questionnaire_result as computed
    import eligibility.routing

    monkeypatch.setattr(computed, "match_needs", lambda text: pytest.fail("matching recomputed"))
    monkeypatch.setattr(eligibility.routing, "centre_for", lambda *a: pytest.fail("re-routed"))
    lead = lead_from_result(result, user_key="cli:test", source="chat", consent_version="v-test")
    assert set(LEAD_FIELDS) <= set(lead)
    assert lead["id"] is None  # the store assigns it
    assert lead["submission_key"] == result.submission_key and result.submission_key
    assert lead["consent"] == {"version": "v-test", "at": result.consent_at}
    assert result.consent_at is not None
    assert lead["contact_name"] == "Ayşe Deneme"
    assert lead["eligibility"] is None
    assert lead["notes"] == [] and lead["announced"] is False and lead["announce_attempts"] == 0
    assert lead["centre_override"] is False
    assert lead["needs_text"] == NEEDS
    assert lead["centre"] == result.routing.centre.id == "kahramanmaras"
    catalogue = {a.id for a in load_content().catalogue.activities}
    assert set(lead["matched_activities"]) <= catalogue
    assert lead["matched_activities"] == [m.activity_id for m in result.matches]


def test_an_earlier_verdict_travels_in_the_walk_into_the_lead():
    verdict = {"eligible": False, "unmet": [], "next_steps": [], "advice": []}
    session = q.start("firma", earlier_verdict=verdict)
    step = q.current_step(session)
    for raw in [*FIRM, "evet", *CONTACT, "evet"]:
        step = q.answer(session, raw)
    lead = lead_from_result(step.result, user_key="tg:1", source="telegram", consent_version="v")
    assert lead["eligibility"] == verdict


def test_no_lead_without_consent():
    refused = _result_of([*FIRM, "hayır"])
    assert not refused.saves_lead
    with pytest.raises(NotALead):
        lead_from_result(refused, user_key="cli:t", source="chat", consent_version="v")


@pytest.mark.slow
def test_broken_content_is_one_line_not_a_traceback(tmp_path):
    import shutil

    from eligibility.content import content_dir

    broken = tmp_path / "content"
    shutil.copytree(content_dir(), broken)
    file = broken / "questionnaire.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("kind: count", "kind: renk", 1))
    env = dict(os.environ, KUME_CONTENT_DIR=str(broken))
    proc = subprocess.run(
        [*KUME, "chat", "--path", "kume", "--data-dir", str(tmp_path / "data")],
        input=b"",
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2
    assert "Traceback" not in err
    assert "questionnaire.yaml" in err and "kind" in err


@pytest.mark.slow
def test_terminal_firm_accepts_a_suggestion_with_evet_and_a_head_count(tmp_path):
    """Issue 11 in the terminal: "Gebez" → "Bunu mu demek istediniz: Kocaeli?", "evet"
    accepts it; a typed 3 is three employees; "ahşap mobilya" is offered and accepted."""
    answers = ["Deneme Makina Ltd.", "Gebez", "evet", "ahşap mobilya", "evet", "3",
               "firma", "ortak test laboratuvarı", "okudum", "evet", *CONTACT, "evet"]  # fmt: skip
    proc = chat(tmp_path, answers, "--path", "firma")
    assert_clean(proc)
    text = out(proc)
    assert "Bunu mu demek istediniz: Kocaeli?" in text and "→ Kocaeli" in text
    assert "• 1–9 çalışan" in text  # the bands are listed, not numbered: a number is a count
    (lead,) = stored(tmp_path)
    assert (lead["province"], lead["nace"], lead["size_band"]) == ("Kocaeli", "31", "1-9")


def test_the_guided_estimate_in_the_terminal(tmp_path):
    lines = [
        "3",  # the estimate, beside the two questionnaires
        "Eğitim programı",
        "yüz bin",  # not an amount: one message, asked again
        "1.250.000",
        "1",  # add another
        "Fuar katılımı",
        "750 bin",
        "geri",  # undoes the fair's cost
        "",  # Enter keeps "750 bin"
        "2",  # edit
        "1",  # the training programme
        "1",  # change its cost
        "1,5 milyon",
        "3",  # calculate
        "yok",  # no previous grants
    ]
    proc = chat(tmp_path, lines)
    assert_clean(proc)
    text = out(proc)
    assert "«yüz bin» bir tutar değil" in text
    assert "«Fuar katılımı»: 750.000 TL eklendi." in text
    assert "Önceki yanıtınız: 750 bin" in text
    assert "«Eğitim programı»: tutar 1.500.000 TL oldu." in text
    assert "Toplam harcama: 2.250.000 TL" in text
    assert "Alınabilecek en çok hibe: 1.125.000 TL" in text  # the plan's 50 % binds
    assert "bir birlikteliğin iş planı için" in text
    assert text.count("2013 tarihli program sayfasına göre") >= 3
    assert "Sonraki adım: Hesapladıktan sonra" in text
    assert stored(tmp_path) == []


@pytest.mark.slow
def test_back_offers_the_previous_answer_and_help_and_menu_work(tmp_path):
    readiness = ["bilmiyorum"] + ["evet"] * (len(load_content().rules.readiness) - 1)
    lines = [
        "1",
        "yardım",  # the question's help, nothing answered
        "menü",  # back to the choice: nothing kept
        "1",
        "evet",
        "1",
        "geri",
        "",  # Enter keeps the chamber count
        "2",
        "25",
        *readiness,
        "evet",
    ]
    proc = chat(tmp_path, lines)
    assert_clean(proc)
    text = out(proc)
    assert "İpucu:" in text and "Menüye dönüldü" in text
    assert "Önceki yanıtınız: 1" in text
    assert "karşılıyor" in text
    assert "(bilmiyorum dediniz)" in text  # "bilmiyorum" is advice, not a failed rule
    assert "Sonraki adım: Birliktelik şartları sağlıyorsa" in text
