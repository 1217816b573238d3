"""``python -m rumourscore``: the same as the ``rumourscore`` command."""

from .cli import main

raise SystemExit(main())
