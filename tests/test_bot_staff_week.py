"""Issue 11 and the staff side of issue 10 end to end through the fake Bot API: follow-up
(/takip, a status button taking an unowned lead), the daily digest, finding and erasing a
lead for a data-subject request (/bul, /kvkksil, audit), /durum with its chart and the
deep-link source funnel, /kumeler, and the staff command menus (command scopes)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from bot.leads.backend import open_store
from bot.leads.views import TURKEY_TZ
from bot.telegram.runtime import runtime
from bot.telegram.staff.access import PRIVATE_ONLY, REFUSAL
from bot.telegram.staff.announce import announce_lead
from bot.telegram.staff.digest import JOB_NAME, send_digests
from tests.support.harness import running_bot
from tests.support.leads import make_lead
from tests.support.walks import firm_walk

pytestmark = pytest.mark.timeout(90)

CORUM_STAFF, CORUM_OTHER, SAMSUN_STAFF, ADMIN, STRANGER = 111, 112, 333, 999, 4242
CORUM_CHAT, SAMSUN_CHAT = -1001, -1003
ENV = {
    "KUME_STAFF": f"corum:{CORUM_STAFF},{CORUM_OTHER};samsun:{SAMSUN_STAFF}",
    "KUME_ADMINS": str(ADMIN),
    "KUME_STAFF_CHATS": f"corum:{CORUM_CHAT};samsun:{SAMSUN_CHAT}",
    "KUME_DIGEST_TIME": "07:45",
}
PERSONAL = ("Ayşe", "Deneme Makina", "+90", "0500", "@example.com", "Ortak test")


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path)


def corum_lead(n: int, **extra):
    return make_lead(n, province="Çorum", centre="corum", **extra)


def tomorrow() -> dt.date:
    return dt.datetime.now(TURKEY_TZ).date() + dt.timedelta(days=1)


async def test_takip_sets_next_contact_and_owner_within_the_centre(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = store.add(corum_lead(1))
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        day = tomorrow().strftime("%d.%m.%Y")
        await staff.send(f"/takip {lead_id} {day} ben")
        msg = await staff.expect_text(contains=f"#{lead_id}")
        assert day in msg.text and f"tg:{CORUM_STAFF}" in msg.text
        lead = store.get(lead_id)
        assert (lead["next_contact"], lead["owner"]) == (
            tomorrow().isoformat(),
            f"tg:{CORUM_STAFF}",
        )
        await staff.send(f"/takip {lead_id} 01.01.2020")
        assert "geçmişte" in (await staff.expect_text()).text
        other = h.user(SAMSUN_STAFF)
        await other.send(f"/takip {lead_id} yarın ben")
        assert (await other.expect_text()).text == "Kayıt bulunamadı."
        stranger = h.user(STRANGER)
        await stranger.send(f"/takip {lead_id} yarın")
        assert (await stranger.expect_text()).text == REFUSAL
        # the private card shows the follow-up
        private = h.user(CORUM_STAFF)
        await private.send(f"/lead {lead_id}")
        card = await private.expect_text(contains="Sonraki görüşme")
        assert day in card.text and "Sorumlu" in card.text


async def test_a_status_button_gives_an_unowned_lead_to_whoever_acts(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = store.add(corum_lead(1))
        await announce_lead(runtime(h.app), h.app.bot, store.get(lead_id))
        announcement = await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
        staff = h.user(CORUM_OTHER, chat_id=CORUM_CHAT)
        await staff.press("İletişime geçildi", message=announcement)
        edited = await staff.expect_text(contains="Son değişiklik")
        assert not any(p in edited.text for p in PERSONAL)  # the group still sees no details
        assert store.get(lead_id)["owner"] == f"tg:{CORUM_OTHER}"
        await h.user(CORUM_STAFF, chat_id=CORUM_CHAT).press("Kümeye katıldı", message=announcement)
        await h.wait_idle()
        assert store.get(lead_id)["owner"] == f"tg:{CORUM_OTHER}"  # an owner stays


async def test_daily_digest_per_centre_chat_without_personal_data(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        (job,) = h.app.job_queue.get_jobs_by_name(JOB_NAME)
        istanbul = job.next_t.astimezone(zoneinfo.ZoneInfo("Europe/Istanbul"))
        assert (istanbul.hour, istanbul.minute) == (7, 45)

        fresh = store.add(corum_lead(1))
        old = store.add(corum_lead(2, created_at="2026-01-02T08:00:00+00:00"))
        due = store.add(corum_lead(3, created_at="2026-01-02T08:00:00+00:00"))
        store.update_status(due, "iletisime_gecildi", "x")
        store.set_followup(due, next_contact="2026-01-10")
        store.add(make_lead(4))  # Samsun
        await job.run(h.app)
        corum = await h.wait_for_message(CORUM_CHAT, "Günlük özet")
        assert f"#{fresh} · Çorum · 10–49 çalışan" in corum.text
        assert f"#{due} · 10.01.2026" in corum.text and f"#{old} · Çorum" in corum.text
        assert "Dünden bu yana yeni başvuru: 1" in corum.text
        assert not any(p in corum.text for p in PERSONAL)
        samsun = await h.wait_for_message(SAMSUN_CHAT, "Günlük özet")
        assert "#4" in samsun.text and f"#{fresh} " not in samsun.text
        assert await send_digests(h.app) == 2


async def test_find_and_erase_for_a_data_subject_request(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        kept = store.add(corum_lead(1, phone="+905321234567"))
        terminal = store.add(
            corum_lead(2, phone="+905321234567", source="chat", user_key="cli:4f2a")
        )
        store.add(make_lead(3, phone="+905321234567"))  # Samsun: not Çorum staff's
        staff = h.user(CORUM_STAFF)
        await staff.send("/bul 0532 123 45 67")
        found = await staff.expect_text(contains="kayıt bulundu")
        assert f"#{kept}" in found.text and f"#{terminal}" in found.text and "#3" not in found.text
        await staff.send("/bul merhaba")
        assert "Telefon numarası ya da e-posta" in (await staff.expect_text()).text

        await staff.send(f"/kvkksil {terminal}")
        assert "gerekçe" in (await staff.expect_text()).text
        await staff.send(f"/kvkksil {terminal} ilgili kişinin silme başvurusu")
        confirm = await staff.expect_text(contains="kalıcı olarak silinsin mi")
        yes = confirm.inline_buttons[0]["callback_data"]
        forger = h.user(STRANGER)
        await forger.press_data(yes, message=confirm)
        await h.wait_idle()
        assert store.get(terminal)  # a stranger's press changed nothing
        await staff.press("Evet, kalıcı olarak sil", message=confirm)
        await staff.expect_text(contains="kalıcı olarak silindi")
        assert [lead["id"] for lead in store.list()] == [kept, 3]
        (entry,) = store.audit_log()
        assert (entry["lead_id"], entry["by"], entry["action"]) == (
            terminal,
            f"tg:{CORUM_STAFF}",
            "delete",
        )
        assert "+90532" not in str(entry) and "Deneme Makina" not in str(entry)
        # the same button again does nothing
        await staff.press_data(yes, message=confirm)
        await h.wait_idle()
        assert len(store.audit_log()) == 1
        # another centre's lead cannot be erased
        await staff.send("/kvkksil 3 başvuru")
        assert (await staff.expect_text()).text == "Kayıt bulunamadı."
        in_group = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await in_group.send(f"/kvkksil {kept} başvuru")
        assert (await in_group.expect_text()).text == PRIVATE_ONLY
        assert store.get(kept)


async def test_durum_sends_text_funnel_and_chart(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        done = await firm_walk(h.user(8101), province="Samsun", start="/start fuar2026")
        assert done.lead_id
        await firm_walk(
            h.user(8102), firm="İkinci Deneme A.Ş.", province="Çorum", start="/start fuar2026"
        )
        half = h.user(8103)  # starts from another campaign and stops half-way
        await half.send("/start gazete")
        await half.expect_text(contains="Küme Asistanı")
        await half.press("Firmamın ihtiyaçları")
        await half.expect_text(contains="adı nedir")
        await h.wait_idle()
        # issue 11: a 250+ firm and a university are not KOBİ reached
        store.add(make_lead(20, firm="Büyük Deneme Holding", size_band="250+"))
        store.add(make_lead(21, firm="Deneme Üniversitesi", role="universite", size_band=None))
        admin = h.user(ADMIN)
        await admin.send("/durum")
        text = await admin.expect_text(contains="ilerleme")
        assert "Ulaşılan KOBİ: 2 / 400" in text.text
        assert "Büyük firma (250 ve üzeri çalışan): 1" in text.text
        assert "Üniversite ya da araştırma kurumu: 1" in text.text
        assert "fuar2026: 2 başladı, 2 bitirdi, 2 onay verdi" in text.text
        assert "gazete: 1 başladı, 0 bitirdi, 0 onay verdi" in text.text
        assert "Samsun Kümelenme Bilgi Merkezi: 1 bitirdi, 1 onay verdi" in text.text
        photo = await admin.expect(
            lambda m, e: bool(m.document and m.document.get("photo")), timeout=30, what="chart"
        )
        assert photo.document["content"].startswith(b"\x89PNG")
        assert "İlerleme grafiği" in (photo.caption or "")
        # a centre's staff see the per-centre lines of their own centre only
        samsun = h.user(SAMSUN_STAFF)
        await samsun.send("/durum")
        text = await samsun.expect_text(contains="ilerleme")
        assert "Samsun Kümelenme Bilgi Merkezi: 1 bitirdi" in text.text
        assert "Çorum Kümelenme Bilgi Merkezi: 1 bitirdi" not in text.text
    counts = {(c["source"], c["centre"], c["stage"]): c["count"] for c in store.funnel_counts()}
    assert counts[("fuar2026", None, "started")] == 2 and counts[("gazete", None, "started")] == 1
    stored = (tmp_path / "funnel.json").read_text(encoding="utf-8")  # counts only: nobody
    assert all(str(uid) not in stored for uid in (8101, 8102, 8103))


async def test_kumeler_shows_clusters_forming_within_the_centre(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        for n in range(1, 4):
            store.add(corum_lead(n, nace="10", firm=f"Leblebi Deneme {n}"))
        store.add(corum_lead(4, role="oda", firm="Deneme Ticaret ve Sanayi Odası", nace=None))
        store.add(make_lead(5, nace="31"))  # Samsun
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send("/kumeler")
        msg = await staff.expect_text(contains="Oluşmakta olan kümeler")
        assert "Çorum · Gıda ürünlerinin imalatı (10): 3 firma — 17 firma daha gerekli" in msg.text
        assert "oda: Evet, üniversite: Hayır" in msg.text
        assert "Mobilya" not in msg.text  # Samsun's lead is not Çorum staff's
        assert "en az 20 firma" in msg.text and "tarihli" in msg.text
        assert "Leblebi Deneme" not in msg.text


async def test_staff_menus_are_set_per_staff_chat_and_user_only(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        server = h.server
        user_menu = server.commands_for(STRANGER, STRANGER)
        assert "start" in user_menu and "leads" not in user_menu and "kvkksil" not in user_menu
        assert server.commands_for(CORUM_CHAT, STRANGER) == []  # a user in a staff group
        group = server.commands_for(CORUM_CHAT, CORUM_STAFF)
        assert {"leads", "durum", "kumeler", "takip"} <= set(group)
        assert "lead" not in group and "export" not in group and "kvkksil" not in group
        assert server.commands_for(SAMSUN_CHAT, CORUM_STAFF) == []  # not their centre
        private = server.commands_for(CORUM_STAFF, CORUM_STAFF)
        assert {"start", "lead", "export", "bul", "kvkksil", "leads"} <= set(private)
        assert set(server.commands_for(SAMSUN_CHAT, ADMIN)) == set(group)
        # the menus are a convenience: the server still refuses a stranger
        stranger = h.user(STRANGER)
        await stranger.send("/kvkksil 1 deneme")
        assert (await stranger.expect_text()).text == REFUSAL
