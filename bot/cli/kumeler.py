"""`kume kumeler`: clusters forming, per province and NACE division, against the programme's
threshold of committed firms (bot/leads/clusters.py)."""

from __future__ import annotations

import argparse
import json

from bot.cli import shell


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kumeler = sub.add_parser(
        "kumeler", help="il ve sektöre göre oluşmakta olan kümeler (eşik: taahhüt veren firma)"
    )
    shell.add_data_dir_option(kumeler)
    kumeler.add_argument("--json", action="store_true", help="JSON olarak yaz")
    kumeler.set_defaults(func=run_kumeler)


def run_kumeler(args: argparse.Namespace) -> int:
    from bot.leads.clusters import clusters_text, forming_clusters, threshold

    limit = threshold(shell.content())
    found = forming_clusters(shell.run(shell.leads(args).list()), limit)
    if args.json:
        print(json.dumps([c.to_json() for c in found], ensure_ascii=False, indent=2))
    else:
        print(clusters_text(found, limit))
    return 0
