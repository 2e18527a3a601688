"""`kume durum`: progress of the Knowledge Centres against the project's targets."""

from __future__ import annotations

import argparse
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
    content = shell.content()
    leads = shell.leads(args)
    result = shell.run(leads.call(progress, content))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(format_progress_tr(result))
    return 0
