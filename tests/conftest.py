import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# site/ holds MkDocs hooks and the page generator; it is not an installed package
# (a top-level "site" package would shadow Python's own site module).
sys.path.insert(0, str(ROOT / "site"))
