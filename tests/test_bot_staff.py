"""Staff tools end to end: announcements to the right centre, status buttons with history,
notes, export, lists, progress, centre override, undelivered announcements and their retry,
and a stranger who tries everything (nothing revealed, nothing changed)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from bot.leads.backend import open_store
from bot.leads.filters import LeadFilter
from bot.telegram.runtime import runtime
from bot.telegram.staff.access import PRIVATE_ONLY, REFUSAL
from bot.telegram.staff.announce import announce_lead, retry_undelivered
from tests.support.harness import running_bot
from tests.support.leads import make_lead

pytestmark = pytest.mark.timeout(60)

CORUM_STAFF, SAMSUN_STAFF, ADMIN, STRANGER = 111, 333, 999, 4242
CORUM_CHAT, SAMSUN_CHAT = -1001, -1003
ENV = {
    "KUME_STAFF": f"corum:{CORUM_STAFF},112;samsun:{SAMSUN_STAFF}",
    "KUME_ADMINS": str(ADMIN),
    "KUME_STAFF_CHATS": f"corum:{CORUM_CHAT};samsun:{SAMSUN_CHAT}",
}


def _lead(firm="Deneme Makina Ltd.", centre="corum", **extra):
    fields = {
        "user_key": "tg:5551",
        "firm": firm,
        "phone": "+905551112233",
        "email": "ayse@deneme.example",
        "province": "Çorum" if centre == "corum" else "Samsun",
        "centre": centre,
        "needs_text": "Ortak pazarlama & <ihracat>",
        **extra,
    }
    return make_lead(1, **fields)


async def _stored_and_announced(h, store, **kw):
    lead_id = store.add(_lead(**kw))
    lead = store.get(lead_id)
    ok = await announce_lead(runtime(h.app), h.app.bot, lead)
    return lead_id, ok


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path)


async def test_announcement_goes_to_the_centre_chat_without_personal_data(tmp_path, store):
    """Issue 10: the staff chat gets the lead number, centre, province, size, sector and
    matched categories, never a name, phone, e-mail, the firm's name (a sole trader's is a
    person's) or the needs text; staff open the details with /lead N in private."""
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, ok = await _stored_and_announced(
            h, store, firm="Deneme <Makina> & Oğulları", nace="31"
        )
        assert ok
        msg = await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
        assert not h.chat_messages(SAMSUN_CHAT)
        for personal in ("Deneme", "Makina", "Oğulları", "Ayşe", "+90", "0555", "@deneme",
                         "Ortak pazarlama"):  # fmt: skip
            assert personal not in msg.text and personal not in msg.html, personal
        assert "Çorum" in msg.text and "10–49 çalışan" in msg.text
        assert "31 — Mobilya imalatı" in msg.text and "Kümelenme Dinamiği" not in msg.text
        assert f"/lead {lead_id}" in msg.text
        assert "İletişime geçildi" in " ".join(msg.button_texts)
        assert all(len(b["callback_data"].encode()) <= 64 for b in msg.inline_buttons)
        assert store.get(lead_id)["announced"] is True

        # the details, escaped, in a private chat only
        staff = h.user(CORUM_STAFF)
        await staff.send(f"/lead {lead_id}")
        card = await staff.expect_text(contains="Deneme")
        assert "Deneme &lt;Makina&gt; &amp; Oğulları" in card.html
        assert "Deneme <Makina> & Oğulları" in card.text and "0555 111 22 33" in card.text
        assert "Ortak pazarlama & <ihracat>" in card.text
        in_group = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await in_group.send(f"/lead {lead_id}")
        assert (await in_group.expect_text()).text == PRIVATE_ONLY

        lead2, ok2 = await _stored_and_announced(h, store, centre="samsun")
        assert ok2
        await h.wait_for_message(SAMSUN_CHAT, f"#{lead2}")


async def test_a_probable_duplicate_is_flagged_with_the_other_number(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        first, _ = await _stored_and_announced(h, store, firm="Deneme Makina Ltd.")
        second, _ = await _stored_and_announced(
            h, store, firm="DENEME MAKİNA SAN. TİC. LTD. ŞTİ.", phone="+905559990000",
            email="baska@deneme.example",
        )  # fmt: skip
        msg = await h.wait_for_message(CORUM_CHAT, f"#{second}")
        assert f"Olası mükerrer: #{first} ile aynı firma adı" in msg.text
        assert "Deneme" not in msg.text
        assert store.get(second)["duplicate_of"] == [first]
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send(f"/birlestir {first} {second}")
        await staff.expect_text(contains="birleştirildi")
        assert store.get(second)["merged_into"] == first
        assert any(h_.get("merged_from") == second for h_ in store.get(first)["history"])


async def test_status_button_changes_status_with_history(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, _ = await _stored_and_announced(h, store)
        announcement = await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.press("İletişime geçildi", message=announcement)
        edited = await staff.expect_text(contains="Son değişiklik")
        assert edited.message_id == announcement.message_id
        lead = store.get(lead_id)
        assert lead["status"] == "iletisime_gecildi"
        assert lead["history"][-1]["by"] == f"tg:{CORUM_STAFF}"
        assert lead["history"][-1]["at"]
        answers = h.server.calls_of("answerCallbackQuery")
        assert answers and "İletişime geçildi" in answers[-1].params.get("text", "")

        await staff.press("Kümeye katıldı", message=announcement)
        await staff.expect_text(contains="Kümeye katıldı")
        lead = store.get(lead_id)
        assert lead["status"] == "kumeye_katildi"
        assert [e["status"] for e in lead["history"]][-2:] == [
            "iletisime_gecildi",
            "kumeye_katildi",
        ]


async def test_staff_of_another_centre_cannot_change_a_lead(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, _ = await _stored_and_announced(h, store)
        announcement = await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
        other = h.user(SAMSUN_STAFF, chat_id=CORUM_CHAT)
        await other.press("İlgilenmiyor", message=announcement)
        await h.server.wait_until(lambda: h.server.calls_of("answerCallbackQuery"))
        assert h.server.calls_of("answerCallbackQuery")[-1].params.get("text") == REFUSAL
        assert store.get(lead_id)["status"] == "yeni"
        private = h.user(SAMSUN_STAFF)
        await private.send(f"/lead {lead_id}")
        msg = await private.expect_text()
        assert msg.text == "Kayıt bulunamadı."


async def test_note_flow(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, _ = await _stored_and_announced(h, store)
        announcement = await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.press("Not ekle", message=announcement)
        await staff.expect_text(contains="notunuzu yazın")
        send = h.server.calls_of("sendMessage")[-1]
        assert send.params["reply_markup"].get("force_reply") is True
        await staff.send("Firma 2 Aralık'ta arandı, <olumlu>.")
        await staff.expect_text(contains="not eklendi")
        lead = store.get(lead_id)
        assert lead["notes"][-1]["text"] == "Firma 2 Aralık'ta arandı, <olumlu>."
        assert lead["notes"][-1]["by"] == f"tg:{CORUM_STAFF}"
        # the next message is not a note any more
        await staff.send("Sıradan mesaj")
        await staff.expect_silence(0.3)
        assert len(store.get(lead_id)["notes"]) == 1
        # the note shows (escaped) in /lead, in a private chat
        private = h.user(CORUM_STAFF)
        await private.send(f"/lead {lead_id}")
        shown = await private.expect_text(contains="olumlu")
        assert "&lt;olumlu&gt;" in shown.html


async def test_export_sends_formula_safe_xlsx(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        store.add(_lead(firm='=HYPERLINK("https://kotu.example","tıkla")'))
        store.add(_lead(firm="Samsun Deneme A.Ş.", centre="samsun"))
        staff = h.user(CORUM_STAFF)
        await staff.send("/export")
        doc = await staff.expect_document(timeout=10)
        assert doc.document["file_name"].endswith(".xlsx")
        wb = openpyxl.load_workbook(io.BytesIO(doc.document["content"]))
        ws = wb.active
        cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
        firm_cells = [c for row in ws.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
        # kept as typed, in string cells: a spreadsheet never runs a string cell
        assert firm_cells and all(c.data_type == "s" for c in firm_cells)
        assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
        # Çorum staff only get Çorum's leads
        assert not any(isinstance(v, str) and "Samsun Deneme" in v for v in cells)

        admin = h.user(ADMIN)
        await admin.send("/export")
        doc = await admin.expect_document(timeout=10)
        ws = openpyxl.load_workbook(io.BytesIO(doc.document["content"])).active
        values = [c.value for row in ws.iter_rows() for c in row]
        assert any(isinstance(v, str) and "Samsun Deneme" in v for v in values)


async def test_leads_list_filters_and_scopes(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        a = store.add(_lead(firm="Birinci Deneme Ltd."))
        b = store.add(_lead(firm="İkinci Deneme Ltd."))
        store.add(_lead(firm="Samsun Deneme A.Ş.", centre="samsun"))
        store.update_status(b, "iletisime_gecildi", "tg:111")
        staff = h.user(CORUM_STAFF)
        await staff.send("/leads")
        msg = await staff.expect_text(contains="kayıt")
        assert "Birinci Deneme" in msg.text and "İkinci Deneme" in msg.text
        assert "Samsun Deneme" not in msg.text
        await staff.send("/leads iletişime geçildi")
        msg = await staff.expect_text(contains="kayıt")
        assert f"#{b}" in msg.text and f"#{a} " not in msg.text
        await staff.send("/leads samsun")
        msg = await staff.expect_text()
        assert "göremezsiniz" in msg.text
        admin = h.user(ADMIN)
        await admin.send("/leads samsun")
        msg = await admin.expect_text(contains="kayıt")
        assert "Samsun Deneme" in msg.text and "Birinci" not in msg.text
        await admin.send("/leads 2020-01-01 yeni")
        msg = await admin.expect_text(contains="kayıt")
        assert "İkinci Deneme" not in msg.text and "Birinci Deneme" in msg.text
        await admin.send("/leads saçma")
        msg = await admin.expect_text()
        assert "Kullanım" in msg.text


async def test_durum_and_merkez_override(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = store.add(_lead())
        staff = h.user(CORUM_STAFF)
        await staff.send("/durum")
        msg = await staff.expect_text(contains="ilerleme")
        assert "bildirilmemiş başvuru: 1" in msg.text
        await staff.send(f"/merkez {lead_id} samsun")
        msg = await staff.expect_text(contains=f"#{lead_id}")
        assert "Samsun" in msg.text
        lead = store.get(lead_id)
        assert lead["centre"] == "samsun" and lead["centre_override"] is True
        assert lead["notes"][-1]["by"] == f"tg:{CORUM_STAFF}"
        await h.wait_for_message(SAMSUN_CHAT, f"#{lead_id}")
        assert store.get(lead_id)["announced"] is True
        # now a Samsun lead: Çorum staff no longer see it
        await staff.send(f"/lead {lead_id}")
        assert (await staff.expect_text()).text == "Kayıt bulunamadı."


async def test_stranger_gets_nothing(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, _ = await _stored_and_announced(h, store)
        before = store.get(lead_id)
        stranger = h.user(STRANGER)
        for command in (
            "/leads",
            "/leads corum",
            f"/lead {lead_id}",
            "/export",
            "/durum",
        ):
            await stranger.send(command)
            msg = await stranger.expect_text()
            assert msg.text == REFUSAL, command
            assert not msg.document
        # /merkez N centre from a stranger is left to the user conversation: never an override
        await stranger.send(f"/merkez {lead_id} samsun")
        await h.wait_idle()
        # forged callback data, in the staff group and in private
        for chat in (CORUM_CHAT, STRANGER):
            forger = h.user(STRANGER, chat_id=chat)
            for data in (f"st:{lead_id}:k", f"st:{lead_id}:n", f"nt:{lead_id}", "st:1:zz", "st:x"):
                await forger.press_data(data)
                await h.wait_idle()
        await stranger.send("Bu not olmasın")
        await h.wait_idle()
        after = store.get(lead_id)
        assert after == before
        assert not h.server.calls_of("sendDocument")
        texts = " ".join(m.text for m in h.chat_messages(STRANGER))
        assert "Ayşe" not in texts and "Deneme Makina" not in texts and "+90" not in texts
        answers = [c.params.get("text") for c in h.server.calls_of("answerCallbackQuery")]
        assert answers and all(a == REFUSAL for a in answers)


async def test_blocked_staff_chat_keeps_lead_and_retries(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        h.server.block_chat(CORUM_CHAT)
        lead_id, ok = await _stored_and_announced(h, store)
        assert not ok
        lead = store.get(lead_id)
        assert lead["announced"] is False and lead["announce_attempts"] == 1
        assert [x["id"] for x in store.list(LeadFilter(undelivered=True))] == [lead_id]

        admin = h.user(ADMIN)
        await admin.send("/durum")
        assert "bildirilmemiş başvuru: 1" in (await admin.expect_text(contains="ilerleme")).text
        await admin.send("/leads")
        assert "⚠️" in (await admin.expect_text(contains="kayıt")).text

        # still blocked: the job tries and fails again, nothing lost
        job = h.app.job_queue.get_jobs_by_name("retry_announcements")[0]
        await job.run(h.app)
        assert store.get(lead_id)["announce_attempts"] == 2
        # 429 and 5xx are also left for the retry
        h.server.unblock_chat(CORUM_CHAT)
        h.server.fail_next("sendMessage", 10, status=502)
        assert await retry_undelivered(runtime(h.app), h.app.bot) == (0, 1)
        h.server.clear_faults()
        await job.run(h.app)
        lead = store.get(lead_id)
        assert lead["announced"] is True and lead["announce_attempts"] == 4
        await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
        assert store.list(LeadFilter(undelivered=True)) == []


async def test_lead_data_only_in_private_or_own_staff_chat(tmp_path, store):

    async with running_bot(tmp_path, env=ENV, store=store) as h:
        store.add(_lead())
        in_other_group = h.user(CORUM_STAFF, chat_id=-5555)
        for command in ("/export", "/leads", "/lead 1", "/durum"):
            await in_other_group.send(command)
            assert (await in_other_group.expect_text()).text == PRIVATE_ONLY
        in_samsun_chat = h.user(CORUM_STAFF, chat_id=SAMSUN_CHAT)
        await in_samsun_chat.send("/leads")
        assert (await in_samsun_chat.expect_text()).text == PRIVATE_ONLY
        assert not h.server.calls_of("sendDocument")
        in_own_chat = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await in_own_chat.send("/leads")
        listed = (await in_own_chat.expect_text(contains="kayıt")).text
        assert "#1" in listed and "Deneme Makina" not in listed  # no firm names in a group
        for command in ("/lead 1", "/export", "/bul 0555 111 22 33", "/kvkksil 1 başvuru"):
            await in_own_chat.send(command)
            assert (await in_own_chat.expect_text()).text == PRIVATE_ONLY, command
        private = h.user(CORUM_STAFF)
        await private.send("/leads")
        assert "Deneme Makina" in (await private.expect_text(contains="kayıt")).text


async def test_centre_without_staff_chat_waits_for_configuration(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, ok = await _stored_and_announced(h, store, centre="trabzon")
        assert not ok
        assert store.get(lead_id)["announce_attempts"] == 1
        # skipped, not retried in a loop
        assert await retry_undelivered(runtime(h.app), h.app.bot) == (0, 0)
        assert store.get(lead_id)["announce_attempts"] == 1
        assert [x["id"] for x in store.list(LeadFilter(undelivered=True))] == [lead_id]


async def test_odd_staff_input_never_crashes(tmp_path, store, caplog):
    import logging

    caplog.set_level(logging.ERROR)
    odd = ["", "#", "-1", "0", "9" * 5000, "<b>", "&amp;", "=1+1", "corum corum", "ğüşiöç İ"]
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        store.add(_lead())
        staff = h.user(ADMIN)
        for command in ("/leads", "/lead", "/merkez 1", "/export", "/durum"):
            for arg in odd:
                await staff.send(f"{command} {arg}".strip())
                if command != "/export":
                    assert await staff.expect_text(timeout=10), (command, arg)
        await h.wait_idle(timeout=20)
        for data in ("st:", "st:1", "st:1:", "st:-1:y", "st:99999:i", "nt:", "nt:abc", "nt:0"):
            await staff.in_chat(CORUM_CHAT).press_data(data)
        await h.wait_idle(timeout=20)
    assert "işlenmeyen hata" not in caplog.text
    assert store.get(1)["status"] == "yeni"
