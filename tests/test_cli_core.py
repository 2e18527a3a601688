"""Contract of `kume check | budget | match`: JSON keys, exit codes, one-line errors."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml

from bot.cli.main import main
from eligibility.content import content_dir

ROOT = Path(__file__).resolve().parent.parent
KUME = ROOT / ".venv" / "bin" / "kume"

ELIGIBLE = {
    "chambers_of_industry": 1,
    "chambers_of_commerce_and_industry": 0,
    "universities": 1,
    "chamber_of_industry_in_region": True,
    "committed_firms": 20,
}
PLAN = {
    "items": [
        {"name": "Deneme eğitim programı", "cost": 200000},
        {"name": "Ortak test laboratuvarı", "cost": 1500000},
    ],
    "previous_grants": 0,
}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, data, name="girdi.json") -> str:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return str(path)


def assert_user_error(code, out, err):
    assert code == 2
    assert out == ""
    assert err.startswith("kume: ")
    assert err.count("\n") == 1, err
    assert "Traceback" not in err


# --- check ---------------------------------------------------------------------------------


def test_check_eligible(capsys, tmp_path):
    code, out, err = run(capsys, "check", write(tmp_path, ELIGIBLE))
    assert (code, err) == (0, "")
    assert json.loads(out) == {"eligible": True, "unmet": [], "next_steps": [], "advice": []}
    assert out.startswith("{\n  ")  # indented for people


def test_check_ineligible_keys_and_turkish_text(capsys, tmp_path):
    data = ELIGIBLE | {"committed_firms": 19, "readiness": {"roadmap": False}}
    code, out, err = run(capsys, "check", write(tmp_path, data))
    assert (code, err) == (0, "")
    verdict = json.loads(out)
    assert set(verdict) == {"eligible", "unmet", "next_steps", "advice"}
    assert verdict["eligible"] is False
    assert [set(u) for u in verdict["unmet"]] == [{"rule", "reason", "source"}]
    assert verdict["unmet"][0]["rule"] == "committed_firms"
    assert "19 firma" in verdict["unmet"][0]["reason"]
    assert "ı" in out and "\\u" not in out  # ensure_ascii=False
    step = verdict["next_steps"][0]
    assert {"rule", "text", "activities"} <= set(step)
    assert all(set(a) == {"id", "title", "category"} for a in step["activities"])
    assert [a["id"] for a in verdict["advice"]] == ["roadmap"]
    assert {"id", "text", "activities"} <= set(verdict["advice"][0])


def test_check_reads_stdin(capsys, monkeypatch):
    data = ELIGIBLE | {"universities": 0}
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(data).encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "check", "-")
    assert code == 0
    assert [u["rule"] for u in json.loads(out)["unmet"]] == ["university"]


@pytest.mark.parametrize(
    "text, needle",
    [
        ("{bad json", "geçerli JSON değil"),
        ("", "boş"),
        ("[1, 2]", "JSON nesnesi"),
        (json.dumps({k: v for k, v in ELIGIBLE.items() if k != "universities"}), "universities"),
        (json.dumps(ELIGIBLE | {"universities": -1}), "negatif"),
        (json.dumps(ELIGIBLE | {"committed_firms": "yirmi"}), "committed_firms"),
        (json.dumps(ELIGIBLE | {"committed_firms": 20.5}), "committed_firms"),
        (json.dumps(ELIGIBLE | {"chamber_of_industry_in_region": "evet"}), "true ya da false"),
        (json.dumps(ELIGIBLE | {"chambers_of_industry": True}), "true/false"),
        (json.dumps(ELIGIBLE | {"readiness": {"yol": False}}), "readiness"),
        (json.dumps(ELIGIBLE | {"universities": float("nan")}), "NaN"),
    ],
)
def test_check_bad_input(capsys, tmp_path, text, needle):
    code, out, err = run(capsys, "check", write(tmp_path, text))
    assert_user_error(code, out, err)
    assert needle in err


def test_check_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, "check", str(tmp_path / "yok.json"))
    assert_user_error(code, out, err)
    assert "bulunamadı" in err


def test_check_directory_and_binary_file(capsys, tmp_path):
    assert_user_error(*run(capsys, "check", str(tmp_path)))
    binary = tmp_path / "ikili.json"
    binary.write_bytes(b"\xff\xfe\x00{")
    code, out, err = run(capsys, "check", str(binary))
    assert_user_error(code, out, err)
    assert "UTF-8" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_check_unreadable_file(capsys, tmp_path):
    path = Path(write(tmp_path, ELIGIBLE))
    path.chmod(0)
    code, out, err = run(capsys, "check", str(path))
    assert_user_error(code, out, err)
    assert "okunamadı" in err


def test_check_bad_date(capsys, tmp_path):
    code, out, err = run(capsys, "check", write(tmp_path, ELIGIBLE), "--on", "dün")
    assert_user_error(code, out, err)
    assert "YYYY-AA-GG" in err


def test_check_date_before_any_rule(capsys, tmp_path):
    code, out, err = run(capsys, "check", write(tmp_path, ELIGIBLE), "--on", "1990-01-01")
    assert_user_error(code, out, err)


# --- budget --------------------------------------------------------------------------------


def test_budget_json(capsys, tmp_path):
    code, out, err = run(capsys, "budget", write(tmp_path, PLAN))
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert {"total_cost", "max_grant", "own_share", "items", "limits"} <= set(result)
    assert result["total_cost"] == 1_700_000
    assert result["max_grant"] == 850_000  # 50 % of the plan binds
    assert result["own_share"] == 850_000
    assert result["binding"] == ["plan"]
    assert [i["name"] for i in result["items"]] == [i["name"] for i in PLAN["items"]]
    assert all({"name", "cost", "max_grant"} <= set(i) for i in result["items"])
    assert sum(i["max_grant"] for i in result["items"]) == result["max_grant"]
    for key in ("total_cost", "max_grant", "own_share"):
        assert isinstance(result[key], int)
    assert "Deneme eğitim programı" in out  # not escaped


def test_budget_kurus_input(capsys, tmp_path):
    plan = '{"items": [{"name": "Salon kirası", "cost": 1000.50}]}'
    code, out, _ = run(capsys, "budget", write(tmp_path, plan))
    assert code == 0
    result = json.loads(out)
    assert result["total_cost"] == 1000.5
    assert result["max_grant"] == 500
    assert result["own_share"] == 500.5


def test_budget_bare_list(capsys, tmp_path):
    code, out, _ = run(capsys, "budget", write(tmp_path, PLAN["items"]))
    assert code == 0
    assert json.loads(out)["max_grant"] == 850_000


@pytest.mark.parametrize(
    "data, needle",
    [
        ({"items": []}, "hiç kalem yok"),
        ([], "hiç kalem yok"),
        ({"items": [{"name": "Eğitim", "cost": -1}]}, "negatif"),
        ({"items": [{"name": "Eğitim", "cost": "yirmi bin"}]}, "metin değil"),
        ({"items": [{"name": "Eğitim"}]}, "cost"),
        ({"items": [{"cost": 10}]}, "name"),
        ({"items": [{"name": "Eğitim", "cost": 10}], "previous_grants": -5}, "previous_grants"),
        ({"kalemler": []}, "Bilinmeyen alan"),
        ('{"items": [', "geçerli JSON değil"),
    ],
)
def test_budget_bad_input(capsys, tmp_path, data, needle):
    code, out, err = run(capsys, "budget", write(tmp_path, data))
    assert_user_error(code, out, err)
    assert needle in err


def test_budget_missing_file(capsys, tmp_path):
    code, out, err = run(capsys, "budget", str(tmp_path / "yok.json"))
    assert_user_error(code, out, err)


# --- match ---------------------------------------------------------------------------------


@dataclasses.dataclass
class FakeMatch:
    category: int
    activity_id: str
    title: str
    score: float


@pytest.fixture
def fake_matcher(monkeypatch):
    """A stand-in for eligibility.matcher so the CLI formatting is tested on its own."""
    calls = []
    results: list[FakeMatch] = []

    def match_needs(text, limit=5):
        calls.append((text, limit))
        return results[:limit]

    module = types.ModuleType("eligibility.matcher")
    module.match_needs = match_needs
    monkeypatch.setitem(sys.modules, "eligibility.matcher", module)
    return calls, results


def test_match_json_contract(capsys, fake_matcher):
    calls, results = fake_matcher
    results += [
        FakeMatch(2, "k2-02", "Nitelikli işgücü piyasasını geliştirme (tekniker…)", 91.0),
        FakeMatch(2, "k2-01", "Temel (az veya yarı nitelikli) işgücü piyasasını geliştirme", 64.06),
    ]
    argv = ["match", "kalifiye", "eleman", "bulamıyoruz", "--json", "--limit", "3"]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert calls == [("kalifiye eleman bulamıyoruz", 3)]
    rows = json.loads(out)
    assert rows == [
        {"category": 2, "activity": results[0].title, "id": "k2-02", "score": 91},
        {"category": 2, "activity": results[1].title, "id": "k2-01", "score": 64.1},
    ]
    assert all(set(r) == {"category", "activity", "id", "score"} for r in rows)


def test_match_json_empty(capsys, fake_matcher):
    code, out, err = run(capsys, "match", "zzzz", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == []


def test_match_table_and_nothing_found(capsys, fake_matcher):
    _, results = fake_matcher
    code, out, _ = run(capsys, "match", "zzzz")
    assert code == 0
    assert out.splitlines()[0] == "Eşleşen faaliyet bulunamadı."
    assert "İpucu" in out
    results.append(FakeMatch(3, "k3-06", "Enerji verimliliği programları", 88.0))
    code, out, _ = run(capsys, "match", "enerji", "faturası")
    assert code == 0
    assert "Enerji verimliliği programları" in out
    assert "k3-06" in out and "88" in out
    assert "Puan" in out and "Faaliyet" in out


@pytest.mark.parametrize("limit", ["0", "-2", "beş"])
def test_match_bad_limit(capsys, fake_matcher, limit):
    assert_user_error(*run(capsys, "match", "eğitim", "--limit", limit))


def test_match_blank_text(capsys, fake_matcher):
    assert_user_error(*run(capsys, "match", "   "))


def test_match_with_the_real_matcher(capsys):
    code, out, err = run(capsys, "match", "enerji", "verimliliği", "--json", "--limit", "3")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert len(rows) <= 3
    assert all(set(r) == {"category", "activity", "id", "score"} for r in rows)
    assert "k3-06" in [r["id"] for r in rows]


# --- the installed command, end to end -----------------------------------------------------


def kume(*argv, stdin="", env=None):
    return subprocess.run(
        [str(KUME), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


@pytest.mark.skipif(not KUME.exists(), reason="kume is not installed in .venv")
def test_installed_command_check_and_errors():
    ok = kume("check", "-", stdin=json.dumps(ELIGIBLE))
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["eligible"] is True
    for stdin in ("{", json.dumps(ELIGIBLE | {"committed_firms": "yirmi"}), "[]"):
        bad = kume("check", "-", stdin=stdin)
        assert bad.returncode == 2
        assert bad.stdout == ""
        assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    empty = kume("budget", "-", stdin='{"items": []}')
    assert empty.returncode == 2 and empty.stderr.count("\n") == 1


@pytest.mark.skipif(not KUME.exists(), reason="kume is not installed in .venv")
def test_installed_command_follows_a_changed_parameter(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "parameters.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    values = params["min_committed_firms"]["values"]
    values.append({"valid_from": "2030-01-01", "value": 30, "source": values[-1]["source"]})
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {"KUME_CONTENT_DIR": str(root)}
    data = json.dumps(ELIGIBLE | {"committed_firms": 25})
    before = kume("check", "-", "--on", "2029-12-31", stdin=data, env=env)
    after = kume("check", "-", "--on", "2030-01-01", stdin=data, env=env)
    assert json.loads(before.stdout)["eligible"] is True
    verdict = json.loads(after.stdout)
    assert verdict["eligible"] is False
    assert "en az 30 firma" in verdict["unmet"][0]["reason"]


@pytest.mark.skipif(not KUME.exists(), reason="kume is not installed in .venv")
def test_installed_command_broken_content_is_one_line(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    (root / "rules.yaml").write_text("membership: [", encoding="utf-8")
    result = kume("check", "-", stdin=json.dumps(ELIGIBLE), env={"KUME_CONTENT_DIR": str(root)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "rules.yaml" in result.stderr
