"""Store calls through the Leads facade run in a worker process (TinyDB), a thread (other
stores) or in place (the command line)."""

from __future__ import annotations

import os

import pytest

from bench.fake_leads import fake_lead
from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.store import LeadNotFound
from bot.leads.tinydb_store import TinyDBLeadStore


def _pid_of_caller(store) -> int:
    return os.getpid()


class _ThreadStore(TinyDBLeadStore):
    """Any store other than the TinyDB one itself runs in a thread."""


async def test_tinydb_calls_run_in_another_process_and_round_trip(tmp_path):
    store = TinyDBLeadStore(tmp_path / "leads.json")
    leads = Leads(store)
    lead_id = await leads.add(fake_lead(1))
    assert await leads.call(_pid_of_caller) != os.getpid()
    # the worker wrote the file: a store in this process sees the lead
    assert store.get(lead_id)["firm"] == "Deneme Firma 1 Ltd."
    updated = await leads.update_status(lead_id, "iletisime_gecildi", "t")
    assert updated["status"] == "iletisime_gecildi"
    assert [lead["id"] for lead in await leads.list()] == [lead_id]
    assert [lead["id"] for lead in await leads.list(LeadFilter(status="yeni"))] == []


async def test_errors_cross_the_process_boundary_intact(tmp_path):
    leads = Leads(TinyDBLeadStore(tmp_path / "leads.json"))
    with pytest.raises(LeadNotFound) as err:
        await leads.get(41)
    assert err.value.lead_id == 41
    assert "41 numaralı kayıt yok" == str(err.value)


async def test_other_stores_run_in_a_thread_of_this_process(tmp_path):
    store = _ThreadStore(tmp_path / "leads.json")
    leads = Leads(store)
    assert leads.run == "thread"
    assert await leads.call(_pid_of_caller) == os.getpid()
    lead_id = await leads.add(fake_lead(2))
    assert store.get(lead_id)["user_key"] == "bench:2"


async def test_the_command_line_runs_store_calls_in_place(tmp_path):
    leads = Leads(TinyDBLeadStore(tmp_path / "leads.json"), run="here")
    assert await leads.call(_pid_of_caller) == os.getpid()
    assert (await leads.get(await leads.add(fake_lead(4))))["user_key"] == "bench:4"


async def test_a_killed_worker_is_replaced(tmp_path):
    store = TinyDBLeadStore(tmp_path / "leads.json")
    leads = Leads(store)
    worker = await leads.call(_pid_of_caller)
    os.kill(worker, 9)
    lead_id = await leads.add(fake_lead(3))
    assert store.get(lead_id)["user_key"] == "bench:3"
    assert await leads.call(_pid_of_caller) not in (worker, os.getpid())
