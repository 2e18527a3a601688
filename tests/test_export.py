"""Lead exports: Turkish headers, the csv as Turkish Excel reads it (";", BOM) with formula
neutralisation, xlsx text kept as typed in string cells (never formulas), file mode."""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile

import openpyxl
import pytest

from bot.leads.export import COLUMNS, export_bytes, export_leads, lead_row, neutralise
from bot.leads.record import new_lead, note_entry

PAYLOADS = [
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tX",
    "\rX",
]

# The text fields a Telegram user controls, each carrying one payload.
TEXT_FIELDS = ["firm", "contact_name", "sector", "role", "needs_text", "province"]


def hostile_leads():
    leads = []
    for i, payload in enumerate(PAYLOADS, start=1):
        lead = new_lead(
            source=payload,
            user_key=f"tg:{i}",
            consent={"version": "2026-01", "at": "2026-11-01T08:00:00+00:00"},
            **{field: payload for field in TEXT_FIELDS},
            email=payload,
            centre="samsun",
        )
        lead["id"] = i
        lead["notes"] = [note_entry(payload, "Ayşe Deneme")]
        leads.append(lead)
    return leads


def benign_lead():
    lead = new_lead(
        source="telegram",
        user_key="tg:99",
        consent=None,
        firm="Deneme Makina Ltd. Şti.",
        contact_name="Ayşe Deneme",
        phone="+905001112233",
        province="Kahramanmaraş",
        centre="kahramanmaras",
        size_band="10-49",
        needs_text="İhracat eğitimi; ortak ürün geliştirme",
        matched_activities=["k1-01", "k2-03"],
        eligibility={"eligible": True},
        created_at="2026-11-25T06:30:00+00:00",
    )
    lead["id"] = 7
    return lead


def test_neutralise_rule():
    for payload in PAYLOADS:
        assert neutralise(payload) == "'" + payload
    assert neutralise("Deneme Makina") == "Deneme Makina"
    assert neutralise(42) == 42
    assert neutralise("") == ""


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_uses_the_turkish_list_separator():
    data = export_bytes([benign_lead()], "csv")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == list(COLUMNS)  # one column per field in Turkish Excel
    assert "," not in header


def test_csv_neutralises_every_payload():
    rows = read_csv(export_bytes(hostile_leads(), "csv"))
    assert rows[0] == list(COLUMNS)
    firm_col = COLUMNS.index("Firma")
    for row, payload in zip(rows[1:], PAYLOADS, strict=True):
        assert row[firm_col] == "'" + payload
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (payload, value)
    assert len(rows) == 1 + len(PAYLOADS)


def test_xlsx_keeps_every_payload_as_inert_text(tmp_path):
    data = export_bytes(hostile_leads(), "xlsx")
    path = tmp_path / "x.xlsx"
    path.write_bytes(data)
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == list(COLUMNS)
    firm_col = COLUMNS.index("Firma") + 1
    for r, payload in enumerate(PAYLOADS, start=2):
        cell = ws.cell(row=r, column=firm_col)
        # kept as typed (a CR survives too, written as &#13;): a string cell is never a formula
        assert cell.value == payload and cell.data_type == "s"
        for cell in ws[r]:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
    # No formula element anywhere in the sheet XML.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<f " not in sheet


def test_benign_values_turkish_letters_and_labels():
    lead = benign_lead()
    rows = read_csv(export_bytes([lead], "csv", centre_names={"kahramanmaras": "Kahramanmaraş"}))
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert row["Numara"] == "7"
    assert row["Kayıt zamanı"] == "2026-11-25 09:30"  # Turkey time
    assert row["Firma"] == "Deneme Makina Ltd. Şti."
    assert row["Bilgi Merkezi"] == "Kahramanmaraş"
    assert row["Durum"] == "Yeni"
    assert row["Uygunluk"] == "Uygun"
    assert row["Eşleşen faaliyetler"] == "k1-01, k2-03"
    assert row["Telefon"] == "0500 111 22 33"  # Turkish form: nothing to neutralise
    assert row["Merkeze bildirildi"] == "Hayır"
    # the same field names as the staff card and /verilerim (content/labels.yaml)
    from eligibility.labels import get_labels

    assert row[get_labels().field("contact_name")] == lead["contact_name"]

    wb = openpyxl.load_workbook(io.BytesIO(export_bytes([lead], "xlsx")))
    ws = wb.active
    assert ws.title == "Başvurular"
    assert ws.cell(row=2, column=1).value == 7
    assert ws.cell(row=2, column=COLUMNS.index("İhtiyaçlar") + 1).value == lead["needs_text"]
    assert ws.cell(row=2, column=COLUMNS.index("Telefon") + 1).value == "0500 111 22 33"


def test_a_foreign_phone_keeps_its_plus_in_xlsx_and_is_neutralised_in_csv():
    lead = benign_lead()
    lead["phone"] = "+442079460000"
    ws = openpyxl.load_workbook(io.BytesIO(export_bytes([lead], "xlsx"))).active
    cell = ws.cell(row=2, column=COLUMNS.index("Telefon") + 1)
    assert cell.value.startswith("+44") and cell.data_type == "s"
    row = dict(zip(COLUMNS, read_csv(export_bytes([lead], "csv"))[1], strict=True))
    assert row["Telefon"].startswith("'+44")


def test_xlsx_drops_characters_xml_cannot_hold():
    lead = benign_lead()
    lead["firm"] = "Deneme\x01 Ltd.\x0b"
    ws = openpyxl.load_workbook(io.BytesIO(export_bytes([lead], "xlsx"))).active
    assert ws.cell(row=2, column=COLUMNS.index("Firma") + 1).value == "Deneme Ltd."


def test_lead_row_matches_columns():
    assert len(lead_row(benign_lead())) == len(COLUMNS)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_leads_writes_private_file(tmp_path, fmt):
    path = export_leads([benign_lead()], tmp_path / f"out.{fmt}", fmt)
    assert path.is_file() and path.stat().st_size > 0
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [f"out.{fmt}"]


def test_unknown_format():
    with pytest.raises(ValueError, match="xlsx ya da csv"):
        export_bytes([], "pdf")


def _pipeline_leads():
    from tests.support.leads import make_lead

    leads = [
        make_lead(1, nace="31", size_band="10-49"),
        make_lead(2, nace="31", size_band="1-9", firm="İkinci Mobilya"),
        make_lead(3, nace="31", size_band="250+", firm="Büyük Mobilya"),
        make_lead(4, role="universite", firm="Deneme Üniversitesi", size_band=None),
        make_lead(5, nace="10", province="Çorum", centre="corum", firm="Leblebi Deneme"),
    ]
    for n, lead in enumerate(leads, 1):
        lead["id"] = n
    leads[0]["status"] = "kumeye_katildi"
    return leads


def test_xlsx_has_a_summary_sheet_with_the_chart_figures():
    from bot.leads.summary import compute_figures

    leads = _pipeline_leads()
    figures = compute_figures(leads)
    wb = openpyxl.load_workbook(io.BytesIO(export_bytes(leads, "xlsx")))
    assert wb.sheetnames == ["Başvurular", "Özet", "Kümeler"]
    rows = {r[0]: r[1:] for r in wb["Özet"].iter_rows(values_only=True) if r and r[0]}
    assert rows["Ulaşılan KOBİ"][:2] == (figures.progress.reached, 400) == (3, 400)
    assert rows["Kümeye katılan KOBİ"][:2] == (1, 200)
    assert rows["Üniversite ya da araştırma kurumu"][0] == 1
    assert rows["Samsun: ulaşılan KOBİ"][0] == 2  # the 250+ firm is not a KOBİ
    weeks = [(monday.strftime("%d.%m.%Y"), n) for monday, n in figures.weeks]
    assert [(day, rows[day][0]) for day, _ in weeks] == weeks and weeks[-1][1] == 5
    assert rows["Yeni"][0] == 4 and rows["Kümeye katıldı"][0] == 1
    assert not any(c.data_type == "f" for ws in wb for row in ws.iter_rows() for c in row)


def test_xlsx_has_a_clusters_sheet():
    wb = openpyxl.load_workbook(io.BytesIO(export_bytes(_pipeline_leads(), "xlsx")))
    rows = list(wb["Kümeler"].iter_rows(values_only=True))
    assert rows[0] == ("İl", "Sektör", "NACE", "Firma", "Eksik firma", "Oda", "Üniversite")
    assert rows[1] == ("Samsun", "Mobilya imalatı", "31", 3, 17, "Hayır", "Evet")
    assert rows[2] == ("Çorum", "Gıda ürünlerinin imalatı", "10", 1, 19, "Hayır", "Hayır")
