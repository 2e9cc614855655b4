"""`python -m assessment train|evaluate|predict` — see `cli.py`."""

from assessment.cli import main

raise SystemExit(main())
