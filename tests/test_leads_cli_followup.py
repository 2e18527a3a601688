"""`kume leads followup|status --next|due|find|delete|audit|merge` (issues 10 and 11)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.cli.main import main
from bot.leads.backend import open_store
from bot.leads.views import TURKEY_TZ
from tests.support.leads import make_lead


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    directory = tmp_path / "veri"
    monkeypatch.setenv("KUME_DATA_DIR", str(directory))
    monkeypatch.setenv("KUME_STAFF_NAME", "Ali Personel")
    return directory


@pytest.fixture
def store(data_dir):
    store = open_store(data_dir)
    store.add(make_lead(1, phone="+905321234567", email="Deneme1@Example.com"))
    store.add(make_lead(2, source="chat", user_key="cli:9b1c", phone="+905329998877"))
    store.add(make_lead(3, centre="corum", province="Çorum", firm="Deneme Makina 1 Ltd"))
    return store


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_find_by_phone_or_email_normalised(store, capsys):
    code, out, _ = run(capsys, "leads", "find", "0532", "123", "45", "67")
    assert code == 0 and "#1 " in out and "#2 " not in out
    code, out, _ = run(capsys, "leads", "find", "deneme1@example.COM", "--json")
    assert [lead["id"] for lead in json.loads(out)] == [1]
    # a terminal lead (cli:<uuid>) is found the same way
    code, out, _ = run(capsys, "leads", "find", "+90 532 999 88 77")
    assert "#2 " in out and "cli:9b1c" in out
    code, out, _ = run(capsys, "leads", "find", "0532 000 00 01")
    assert code == 0 and "kayıt yok" in out
    code, _, err = run(capsys, "leads", "find", "merhaba")
    assert code == 2 and "Telefon numarası ya da e-posta" in err


def test_delete_for_a_data_subject_request_leaves_an_audit_entry(store, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["leads", "delete", "2"])  # a reason is required (argparse's usage error)
    assert exit_.value.code == 2 and "--reason" in capsys.readouterr().err
    code, _, err = run(capsys, "leads", "delete", "2", "--reason", "   ")
    assert code == 2 and "gerekçe" in err
    code, out, _ = run(capsys, "leads", "delete", "2", "--reason", "ilgili kişinin başvurusu")
    assert code == 0 and "#2 kalıcı olarak silindi" in out
    assert [lead["id"] for lead in store.list()] == [1, 3]
    code, out, _ = run(capsys, "leads", "audit")
    assert code == 0 and "#2" in out and "Ali Personel" in out and "silme" in out
    assert "ilgili kişinin başvurusu" in out
    code, out, _ = run(capsys, "leads", "audit", "--json")
    (entry,) = json.loads(out)
    assert set(entry) == {"at", "action", "lead_id", "by", "reason"}
    assert "+905329998877" not in out and "Deneme Makina 2" not in out
    code, _, err = run(capsys, "leads", "delete", "2", "--reason", "tekrar")
    assert code == 2 and "kayıt yok" in err
    assert len(store.audit_log()) == 1


def test_followup_and_status_with_owner_and_next_contact(store, capsys):
    tomorrow = dt.datetime.now(TURKEY_TZ).date() + dt.timedelta(days=1)
    code, out, _ = run(capsys, "leads", "followup", "1", "--next", "yarın", "--owner", "Ayşe")
    assert code == 0
    lead = store.get(1)
    assert (lead["next_contact"], lead["owner"]) == (tomorrow.isoformat(), "Ayşe")
    code, out, _ = run(
        capsys, "leads", "status", "3", "iletişime geçildi", "--next",
        tomorrow.strftime("%d.%m.%Y"), "--owner", "Ali",
    )  # fmt: skip
    assert code == 0 and "İletişime geçildi" in out
    lead = store.get(3)
    assert lead["status"] == "iletisime_gecildi" and lead["owner"] == "Ali"
    assert lead["next_contact"] == tomorrow.isoformat()
    code, _, err = run(capsys, "leads", "followup", "1", "--next", "01.01.2020")
    assert code == 2 and "geçmişte" in err
    code, _, err = run(capsys, "leads", "followup", "1", "--next", "sonra")
    assert code == 2 and "GG.AA.YYYY" in err


def test_due_lists_new_due_and_stale_leads_per_centre(store, capsys):
    old = make_lead(4, created_at="2026-01-05T08:00:00+00:00")
    store.add(old)
    store.set_followup(1, next_contact="2026-01-10")  # long overdue
    code, out, _ = run(capsys, "leads", "due")
    assert code == 0
    samsun = out.split("Günlük özet — Samsun")[1].split("Günlük özet")[0]
    assert "Görüşme günü gelen ya da geçen: 1" in samsun and "#1 · 10.01.2026" in samsun
    assert "günden uzun süredir «Yeni» durumunda: 1" in samsun and "#4 ·" in samsun
    assert "Dünden bu yana yeni başvuru: 2" in samsun  # #1 and #2, made just now
    assert "Çorum" in out and "Bugün bekleyen iş yok" not in samsun
    for personal in ("Ayşe Deneme", "+90", "@example.com", "Deneme Makina"):
        assert personal not in out
    code, out, _ = run(capsys, "leads", "due", "--centre", "trabzon")
    assert "Trabzon" in out and "Bugün bekleyen iş yok." in out and "Samsun" not in out


def test_merge_from_the_shell(store, capsys):
    code, out, _ = run(capsys, "leads", "merge", "1", "3")
    assert code == 0 and "#3 kaydı #1 ile birleştirildi" in out
    assert store.get(3)["merged_into"] == 1
    code, _, err = run(capsys, "leads", "merge", "1", "3")
    assert code == 2 and "zaten" in err
    code, out, _ = run(capsys, "durum")
    assert "Birleştirilen (mükerrer) kayıt: 1" in out
    code, out, _ = run(capsys, "leads", "audit")
    assert "birleştirme" in out and "#3" in out


def test_kumeler_on_the_shell(store, capsys):
    store.add(make_lead(5, nace="31", firm="Mobilya Deneme"))
    store.add(make_lead(6, nace="31", firm="Başka Mobilya Deneme"))
    store.add(make_lead(7, role="universite", firm="Deneme Üniversitesi", size_band=None))
    code, out, _ = run(capsys, "kumeler")
    assert code == 0
    assert "Samsun · Mobilya imalatı (31): 2 firma — 18 firma daha gerekli" in out
    assert "oda: Hayır, üniversite: Evet" in out
    code, out, _ = run(capsys, "kumeler", "--json")
    (mobilya,) = [c for c in json.loads(out) if c["nace"] == "31"]
    assert (mobilya["firms"], mobilya["missing"], mobilya["university"]) == (2, 18, True)


def test_durum_shows_the_source_funnel(store, capsys):
    for _ in range(2):
        store.bump_funnel("fuar", None, "started")
    store.bump_funnel("fuar", "samsun", "finished")
    store.bump_funnel("fuar", "samsun", "consented")
    code, out, _ = run(capsys, "durum")
    assert code == 0
    assert "fuar: 2 başladı, 1 bitirdi, 1 onay verdi" in out
    assert "Samsun Kümelenme Bilgi Merkezi: 1 bitirdi, 1 onay verdi" in out
    code, out, _ = run(capsys, "durum", "--json")
    (fuar,) = json.loads(out)["sources"]
    assert (fuar["started"], fuar["finished"], fuar["consented"]) == (2, 1, 1)


def test_show_has_the_follow_up_fields(store, capsys):
    store.set_followup(1, owner="Ayşe", next_contact="2030-01-02")
    code, out, _ = run(capsys, "leads", "show", "1")
    assert code == 0 and "Sorumlu: Ayşe" in out and "Sonraki görüşme: 02.01.2030" in out
