"""Test-only crash points: the process kills itself with SIGKILL at a named moment.

`KUME_TEST_CRASH_AT=<point>[:<n>][,<point>[:<n>]…]` (read by bot/config.py) arms them: the
n-th time (default the first) the process reaches `<point>` it sends itself SIGKILL, which
leaves no chance to flush or clean up, as a power cut or the kernel's OOM killer would. The
fault tests use them to land a kill exactly in the windows that matter for exactly-once
saving, where killing from outside would be a matter of luck:

* `before_lead_write`: the walk's confirmed state is durable, the lead not yet written;
* `after_lead_write`: the lead is stored, the user has not seen its number;
* `after_confirmation`: the number was sent, the conversation state not yet written;
* `after_note_write`: a staff note is stored, neither confirmed nor its step closed;
* `after_erase_write`: a KVKK erasure is done (lead and audit entry), neither confirmed nor
  its step closed.

Unset (always, outside tests) `reached()` is a dictionary lookup.
"""

from __future__ import annotations

import os
import signal

POINTS = (
    "before_lead_write",
    "after_lead_write",
    "after_confirmation",
    "after_note_write",
    "after_erase_write",
)

_armed: dict[str, int] = {}


def parse(spec: str) -> dict[str, int]:
    """ "after_lead_write:2,after_confirmation" → {"after_lead_write": 2, ...}; ValueError
    (Turkish) for an unknown point or count."""
    armed: dict[str, int] = {}
    for entry in filter(None, (part.strip() for part in spec.split(","))):
        point, _, count = entry.partition(":")
        if point not in POINTS or (count and not (count.isdigit() and int(count) >= 1)):
            raise ValueError(
                f"KUME_TEST_CRASH_AT içinde «{entry}» hatalı; noktalar: {', '.join(POINTS)}"
            )
        armed[point] = int(count or 1)
    return armed


def arm(spec: str) -> None:
    """Arms the points of `spec` (see `parse`); an empty spec disarms all."""
    _armed.clear()
    _armed.update(parse(spec))


def reached(point: str) -> None:
    """Called at `point`; kills the process when it is armed and its count runs out."""
    left = _armed.get(point)
    if left is None:
        return
    if left > 1:
        _armed[point] = left - 1
        return
    os.kill(os.getpid(), signal.SIGKILL)
