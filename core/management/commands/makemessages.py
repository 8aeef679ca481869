"""``makemessages`` that also reads the site's Jinja2 templates (``*.jinja``).

Django's command reads ``.html``/``.txt`` files as Django templates. A ``.jinja`` file is
handed to Jinja2's own extractor instead, which finds ``_()``, ``gettext()``,
``pgettext()``, ``ngettext()`` and ``{% trans %}`` blocks; their messages are written as
Python calls, on the line they came from, for xgettext to read like any other source.
"""

import jinja2
from django.core.management.commands import makemessages

JINJA_EXTENSION = ".jinja"
# How each gettext function of a template is written for xgettext (its Python keywords).
CALLS = {
    "_": ("gettext", 1),
    "gettext": ("gettext", 1),
    "ngettext": ("ngettext", 2),
    "pgettext": ("pgettext", 2),
    "npgettext": ("npgettext", 3),
}


def jinja_messages_as_python(source: str) -> str:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in env.extract_translations(source):
        name, count = CALLS[function]
        strings = message if isinstance(message, tuple) else (message,)
        args = [repr(s) for s in strings[:count] if s is not None]
        if len(args) != count:
            continue  # a message built at run time: nothing to extract
        if name in ("ngettext", "npgettext"):
            args.append("n")
        lines[lineno - 1] += f"{name}({', '.join(args)}); "
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        if self.domain == "django" and self.path.endswith(JINJA_EXTENSION):
            with open(self.path, encoding="utf-8") as source:
                content = jinja_messages_as_python(source.read())
            with open(self.work_path, "w", encoding="utf-8") as work:
                work.write(content)
            return
        super().preprocess()


class Command(makemessages.Command):
    build_file_class = BuildFile

    def handle(self, *args, **options):
        if options.get("domain", "django") == "django" and not options.get("extensions"):
            options["extensions"] = ["html", "txt", "py", JINJA_EXTENSION.lstrip(".")]
        return super().handle(*args, **options)
