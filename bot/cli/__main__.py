"""`python -m bot.cli …` runs the `kume` command."""

import sys

from bot.cli.main import main

sys.exit(main())
