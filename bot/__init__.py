"""Front ends over eligibility/: the `kume` CLI, the terminal chat and the Telegram bot,
plus lead handling for the Knowledge Centres."""
