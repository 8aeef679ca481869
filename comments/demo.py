"""Demo data of the comments app, loaded at the end of `manage.py load_demo`."""


def load(*, stdout) -> None:
    """Nothing yet: the comments features add their demo data here."""
