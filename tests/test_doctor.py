"""`kume doctor` lists what a deployment lacks (exit 1) or says it is ready (exit 0); `kume bot`
refuses to start on a demo configuration with one Turkish line naming the missing fields,
while `kume chat` still runs, marked as a demo."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from bot.cli.doctor import check_data_dir, diagnose
from bot.cli.main import main
from tests.support.fake_operator import write_operator

READY_ENV = {
    "TELEGRAM_BOT_TOKEN": "123456:deneme-anahtar",
    "KUME_ADMINS": "900",
    "KUME_STAFF": "corum:901;gaziantep:902;kahramanmaras:903;samsun:904;trabzon:905",
    "KUME_STAFF_CHATS": "corum:-1;gaziantep:-2;kahramanmaras:-3;samsun:-4;trabzon:-5",
    "KUME_SITE_URL": "https://kume.deneme.example/",
}


def _levels(findings):
    return {(f.level, f.topic) for f in findings}


def test_demo_configuration_is_not_ready(tmp_path):
    findings = diagnose(None, {"KUME_DATA_DIR": str(tmp_path / "data")})
    problems = {f.topic: f.text for f in findings if f.level == "problem"}
    assert "Bot anahtarı" in problems
    assert "KUME_STAFF / KUME_ADMINS" in problems
    assert "KUME_SITE_URL" in problems
    operator = next(text for topic, text in problems.items() if "İşletmeci" in topic)
    assert "operator.name" in operator and "controller.application_address" in operator


def test_a_complete_deployment_is_ready(tmp_path, capsys, monkeypatch):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    operator = write_operator(tmp_path / "op.yaml")
    env = {**READY_ENV, "KUME_DATA_DIR": str(data), "KUME_OPERATOR_FILE": str(operator)}
    findings = diagnose(None, env)
    assert not [f for f in findings if f.level == "problem"], findings
    # the fake file leaves three centres unconfirmed: warnings, not problems
    warned = {f.topic for f in findings if f.level == "warn"}
    assert {"merkez corum", "merkez gaziantep", "merkez kahramanmaras"} <= warned
    assert "merkez samsun" not in warned and "merkez trabzon" not in warned
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["doctor", "--env-file", str(tmp_path / "yok.env")]) == 0
    out = capsys.readouterr().out
    assert "Sonuç: kurulum hazır" in out and "✘" not in out


def test_the_exit_code_says_not_ready(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("KUME_DATA_DIR", str(tmp_path / "data"))
    assert main(["doctor", "--env-file", str(tmp_path / "yok.env")]) == 1
    out = capsys.readouterr().out
    assert "Sonuç: kurulum hazır değil" in out and "✘ Bot anahtarı" in out


def test_settings_from_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    operator = write_operator(tmp_path / "op.yaml")
    env_file.write_text(f"KUME_OPERATOR_FILE={operator}\nKUME_SITE_URL=http://x.example/\n")
    findings = diagnose(str(env_file), {"KUME_DATA_DIR": str(tmp_path / "d")})
    assert ("ok", f"İşletmeci dosyası ({operator})") in _levels(findings)
    assert ("warn", "KUME_SITE_URL") in _levels(findings)  # http, not https


def test_unreadable_operator_file_is_a_problem(tmp_path):
    bad = tmp_path / "op.yaml"
    bad.write_text("operator:\n  telefon: 1\n", encoding="utf-8")
    findings = diagnose(None, {"KUME_OPERATOR_FILE": str(bad), "KUME_DATA_DIR": str(tmp_path)})
    (problem,) = [f for f in findings if f.topic == "İşletmeci dosyası"]
    assert problem.level == "problem" and "telefon" in problem.text


def test_data_directory_permissions(tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    os.chmod(data, 0o700)
    assert [f.level for f in check_data_dir(data)] == ["ok"]
    (data / "leads.json").write_text("{}")
    os.chmod(data / "leads.json", 0o644)
    os.chmod(data, 0o755)
    texts = [f.text for f in check_data_dir(data) if f.level == "problem"]
    assert any("chmod 700" in t for t in texts) and any("leads.json" in t for t in texts)
    if os.geteuid() != 0:  # root may write anywhere
        os.chmod(data, 0o500)
        assert any("yazamıyor" in f.text for f in check_data_dir(data))
    os.chmod(data, 0o700)
    os.chmod(data / "leads.json", 0o600)
    assert [f.level for f in check_data_dir(data)] == ["ok"]
    assert check_data_dir(tmp_path / "yeni")[0].level == "ok"  # created on first start
    assert check_data_dir(tmp_path / "a" / "b")[0].level == "problem"


def test_kume_bot_refuses_a_demo_configuration(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:deneme-anahtar")
    monkeypatch.delenv("KUME_OPERATOR_FILE", raising=False)
    assert main(["bot", "--env-file", str(tmp_path / "yok.env")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("kume: Bot başlatılmadı")
    for field in ("operator.name", "controller.name", "controller.application_address"):
        assert field in err


def test_kume_bot_refuses_a_file_without_the_controller(tmp_path):
    data = {"operator": {"name": "Deneme", "address": "Deneme Sok. 1", "email": "a@deneme.example"}}
    operator = write_operator(tmp_path / "op.yaml", data)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:deneme-anahtar",
        "KUME_OPERATOR_FILE": str(operator),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "bot", "--env-file", str(tmp_path / "yok.env")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "controller.name" in proc.stderr and "operator.name" not in proc.stderr


def test_kume_chat_runs_as_a_marked_demo(tmp_path, monkeypatch):
    from bot.chat.terminal import Chat

    monkeypatch.delenv("KUME_OPERATOR_FILE", raising=False)
    out = io.StringIO()
    chat = Chat(io.StringIO("çıkış\n"), out, tmp_path, 365)
    with pytest.raises(Exception):  # noqa: B017 - Quit, whatever its module calls it
        chat.run(None)
    assert "Deneme kurulumu" in out.getvalue()
