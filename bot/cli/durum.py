"""`kume durum`: progress of the Knowledge Centres against the project's targets, and the
deep-link source funnel (counts only)."""

from __future__ import annotations

import argparse
import dataclasses
import json

from bot.cli import shell
from bot.leads.progress import format_progress_tr, progress


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    durum = sub.add_parser(
        "durum", help="proje hedeflerine göre ilerleme (ulaşılan ve kümeye katılan KOBİ)"
    )
    shell.add_data_dir_option(durum)
    durum.add_argument("--json", action="store_true", help="JSON olarak yaz")
    durum.set_defaults(func=run_durum)


def run_durum(args: argparse.Namespace) -> int:
    from bot.leads.funnel import funnel_lines, summarise

    content = shell.content()
    leads = shell.leads(args)
    result = shell.run(leads.call(progress, content))
    sources = summarise(shell.run(leads.funnel_counts()))
    if args.json:
        data = result.to_json()
        data["sources"] = [dataclasses.asdict(f) for f in sources]
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(format_progress_tr(result))
        print()
        print("\n".join(funnel_lines(sources)))
    return 0
