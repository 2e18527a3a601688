"""`kume leads ...` and `kume durum`: output, changes on disk and one-line errors."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import openpyxl
import pytest

from bot.cli.main import main
from bot.leads.backend import open_store
from bot.leads.record import new_lead


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    directory = tmp_path / "veri"
    monkeypatch.setenv("KUME_DATA_DIR", str(directory))
    monkeypatch.setenv("KUME_STAFF_NAME", "Ayşe Deneme")
    return directory


@pytest.fixture
def store(data_dir):
    store = open_store(data_dir)
    store.add(
        new_lead(
            source="telegram",
            user_key="tg:1",
            consent=None,
            size_band="10-49",
            firm="Deneme Makina Ltd.",
            contact_name="Ali Deneme",
            province="Samsun",
            centre="samsun",
            created_at="2026-11-01T09:00:00+00:00",
        )
    )
    store.add(
        new_lead(
            source="chat",
            user_key="cli:x",
            consent=None,
            size_band="10-49",
            firm="=Örnek Gıda A.Ş.",
            province="Çorum",
            centre="corum",
            created_at="2026-11-10T09:00:00+00:00",
        )
    )
    store.add(
        new_lead(
            source="telegram",
            user_key="tg:3",
            consent=None,
            size_band="10-49",
            firm="Üçüncü Deneme",
            centre=None,
            created_at="2026-11-20T09:00:00+00:00",
        )
    )
    return store


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_error(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kume: ") and fragment in lines[0], err


def test_list_text_and_filters(store, capsys):
    code, out, _ = run(capsys, "leads", "list")
    assert code == 0
    assert "#1" in out and "Deneme Makina Ltd." in out and "Samsun" in out and "Yeni" in out
    assert "merkeze bildirilmedi" in out and "Toplam 3 kayıt." in out

    code, out, _ = run(capsys, "leads", "list", "--centre", "Çorum")
    assert code == 0 and "Örnek Gıda" in out and "Deneme Makina" not in out

    code, out, _ = run(capsys, "leads", "list", "--since", "2026-11-05", "--until", "2026-11-15")
    assert "Toplam 1 kayıt." in out and "#2" in out

    store.mark_announced(1, ok=True)
    code, out, _ = run(capsys, "leads", "list", "--undelivered", "--json")
    assert code == 0
    assert [x["id"] for x in json.loads(out)] == [2, 3]


def test_list_empty(data_dir, capsys):
    code, out, _ = run(capsys, "leads", "list", "--data-dir", str(data_dir / "bos"))
    assert code == 0 and out.startswith("Kayıt yok.")


def test_data_dir_option_beats_environment(store, tmp_path, capsys):
    other = open_store(tmp_path / "diger")
    other.add(new_lead(source="chat", user_key="cli:y", consent=None, firm="Başka Deneme"))
    _code, out, _ = run(capsys, "leads", "list", "--data-dir", str(tmp_path / "diger"))
    assert "Başka Deneme" in out and "Deneme Makina" not in out


def test_show(store, capsys):
    store.add_note(1, "Salı günü aranacak", "Mehmet Deneme")
    code, out, _ = run(capsys, "leads", "show", "1")
    assert code == 0
    assert "Başvuru #1" in out and "Firma: Deneme Makina Ltd." in out
    assert "Salı günü aranacak" in out and "Geçmiş:" in out
    code, out, _ = run(capsys, "leads", "show", "#2", "--json")
    assert json.loads(out)["firm"] == "=Örnek Gıda A.Ş."


def test_status_changes_and_records_history(store, capsys):
    code, out, _ = run(capsys, "leads", "status", "1", "İletişime geçildi")
    assert code == 0 and "Yeni → İletişime geçildi" in out and "düzeltme" not in out
    lead = store.get(1)
    assert lead["status"] == "iletisime_gecildi"
    assert lead["history"][-1]["by"] == "Ayşe Deneme"

    code, out, _ = run(capsys, "leads", "status", "1", "yeni", "--by", "Mehmet Deneme")
    assert code == 0 and "düzeltme" in out
    assert store.get(1)["history"][-1]["by"] == "Mehmet Deneme"

    code, out, _ = run(capsys, "leads", "status", "1", "yeni")
    assert code == 0 and "zaten" in out
    assert len(store.get(1)["history"]) == 3


def test_note_and_centre(store, capsys):
    code, out, _ = run(capsys, "leads", "note", "3", "Telefon", "kapalı")
    assert code == 0 and "not eklendi" in out
    assert store.get(3)["notes"][-1]["text"] == "Telefon kapalı"

    code, out, _ = run(capsys, "leads", "centre", "3", "K.Maraş")
    assert code == 0 and "Kahramanmaraş" in out
    lead = store.get(3)
    assert lead["centre"] == "kahramanmaras" and lead["centre_override"] is True


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["leads", "show", "99"], "99 numaralı kayıt yok"),
        (["leads", "status", "99", "yeni"], "99 numaralı kayıt yok"),
        (["leads", "status", "1", "bitti"], "bilinmeyen durum 'bitti'"),
        (["leads", "note", "99", "merhaba"], "99 numaralı kayıt yok"),
        (["leads", "show", "abc"], "geçersiz kayıt numarası"),
        (["leads", "centre", "1", "Ankara"], "bilinmeyen merkez 'Ankara'"),
        (["leads", "list", "--status", "bitti"], "bilinmeyen durum"),
        (["leads", "list", "--since", "2026-13-01"], "YYYY-AA-GG"),
        (["leads", "list", "--since", "2026-11-10", "--until", "2026-11-01"], "--since"),
        (["leads", "purge", "--days", "0"], "en az 1"),
        (["leads", "purge", "--days", "otuz"], "tam sayı"),
        # Input echoed in an error never breaks the one-line rule.
        (["leads", "show", "satır\r\nsatır\n"], "geçersiz kayıt numarası"),
        (["leads", "status", "1", "iki\nsatır"], "bilinmeyen durum"),
        (["leads", "list", "--since", "2026\n11\u2028"], "YYYY-AA-GG"),
        (["leads", "centre", "1", "Yok\rMerkez"], "bilinmeyen merkez"),
        (["leads", "show", "1_0"], "geçersiz kayıt numarası"),
        (["leads", "list", "--data-dir", "x\0y"], "veri klasörü açılamadı"),
    ],
)
def test_errors_are_one_line_exit_2(store, capsys, argv, fragment):
    before = store.path.read_bytes()
    assert_error(capsys, argv, fragment)
    assert store.path.read_bytes() == before  # nothing written


def test_export_xlsx_and_csv(store, tmp_path, capsys):
    out_xlsx = tmp_path / "liste.xlsx"
    code, out, err = run(capsys, "leads", "export", "--out", str(out_xlsx))
    assert code == 0 and "3 kayıt yazıldı" in out and "kişisel veri" in err
    assert stat.S_IMODE(os.stat(out_xlsx).st_mode) == 0o600
    ws = openpyxl.load_workbook(out_xlsx).active
    assert ws.cell(row=1, column=1).value == "Numara"
    cell = ws.cell(row=3, column=3)
    assert cell.value == "=Örnek Gıda A.Ş." and cell.data_type == "s"  # text, never a formula
    # centre name from content, the same in the shell and the bot export
    assert ws.cell(row=2, column=8).value == "Samsun Kümelenme Bilgi Merkezi"

    out_csv = tmp_path / "liste.csv"
    code, out, _ = run(
        capsys, "leads", "export", "--format", "csv", "--out", str(out_csv), "--centre", "samsun"
    )
    assert code == 0 and "1 kayıt yazıldı" in out
    text = out_csv.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2 and rows[1][2] == "Deneme Makina Ltd."


def test_export_never_writes_to_the_current_directory_nor_overwrites(
    store, data_dir, tmp_path, capsys, monkeypatch
):
    """Issue 11: exports landed in the working directory (a repository root) and an export of
    the same minute replaced the previous one."""
    work = tmp_path / "repo"
    work.mkdir()
    monkeypatch.chdir(work)
    paths = []
    for _ in range(3):
        code, out, _ = run(capsys, "leads", "export", "--format", "csv")
        assert code == 0
        paths.append(Path(out.strip().split(": ", 1)[1]))
    assert list(work.iterdir()) == []
    assert len(set(paths)) == 3 and all(p.parent == data_dir / "exports" for p in paths)
    assert stat.S_IMODE(os.stat(data_dir / "exports").st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(p).st_mode) == 0o600 for p in paths)

    monkeypatch.setenv("KUME_EXPORT_DIR", str(tmp_path / "disari"))
    code, out, _ = run(capsys, "leads", "export")
    assert code == 0 and str(tmp_path / "disari") in out

    target = tmp_path / "var.xlsx"
    target.write_bytes(b"eski")
    assert_error(capsys, ["leads", "export", "--out", str(target)], "üzerine yazılmadı")
    assert target.read_bytes() == b"eski"


def test_export_to_standard_output(store, tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["leads", "export", "--format", "csv", "--out", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0 and out.startswith(b"\xef\xbb\xbf") and b"Deneme Makina" in out
    assert b"3 kay" in err
    assert not (tmp_path / "-").exists()


def test_read_only_commands_create_no_data_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KUME_DATA_DIR", raising=False)
    for argv in (["leads", "list"], ["durum"], ["leads", "show", "1"]):
        run(capsys, *argv)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [["leads", "list"], ["durum"], ["leads", "list", "--json"]])
def test_a_closed_pipe_ends_quietly(store, data_dir, argv):
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *argv, "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "KUME_DATA_DIR": str(data_dir)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line, as `| head -0` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err, err


def test_purge(store, capsys):
    code, out, _ = run(capsys, "leads", "purge", "--days", "100000")
    assert code == 0 and out.startswith("0 kayıt")
    code, out, _ = run(capsys, "leads", "purge", "--days", "1")
    assert code == 0 and out.startswith("3 kayıt kalıcı olarak silindi")
    assert store.list() == []


def test_durum(store, capsys):
    store.update_status(1, "iletisime_gecildi", "x")
    store.update_status(1, "kumeye_katildi", "x")
    code, out, _ = run(capsys, "durum")
    assert code == 0
    assert "Ulaşılan KOBİ: 3 / 400" in out
    assert "Kümeye katılan KOBİ: 1 / 200" in out
    assert "Samsun: 1 KOBİ, 1 kümede" in out
    assert "Merkezi belirsiz" in out

    code, out, _ = run(capsys, "durum", "--json")
    data = json.loads(out)
    assert data["reached"] == 3 and data["in_clusters"] == 1 and data["undelivered"] == 3
    assert [c["id"] for c in data["centres"]][:5] == [
        "corum",
        "gaziantep",
        "kahramanmaras",
        "samsun",
        "trabzon",
    ]


def test_leads_without_action_prints_help(data_dir, capsys):
    code, out, _ = run(capsys, "leads")
    assert code == 2 and "list" in out and "export" in out


def test_note_with_undecodable_terminal_bytes_is_stored(store, capsys):
    # What Python makes of the bytes b"\xff" on a UTF-8 command line (surrogateescape).
    raw = b"Deneme \xff not".decode("utf-8", "surrogateescape")
    code, out, _ = run(capsys, "leads", "note", "2", raw)
    assert code == 0 and "not eklendi" in out
    assert store.get(2)["notes"][-1]["text"] == "Deneme ? not"
    assert store.list()  # the file is still valid UTF-8 JSON
