"""Demo data of the accounts app, loaded at the end of `manage.py load_demo`."""


def load(*, stdout) -> None:
    """Nothing yet: the accounts features add their demo data here."""
