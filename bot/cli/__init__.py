"""The `kume` command: `main.py` is the dispatcher, one module per command group."""
