"""``python -m medins_desk``: the same as the ``medins-desk`` command."""

from medins_desk.cli import main

if __name__ == "__main__":
    main()
