"""``python -m rumourscore``: the same as the ``rumourscore`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
