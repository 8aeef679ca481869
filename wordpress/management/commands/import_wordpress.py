"""Import a WordPress site from its export file and a copy of its uploads folder."""

import zoneinfo
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wordpress.export import NotAnExport, read_export
from wordpress.mapping import Mapping, MappingError
from wordpress.services import wordpress_import

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools > Export > All content) with a copy of its "
        "wp-content/uploads folder: posts become articles, with their authors, categories, "
        "tags, images and comments, and every old address redirects to its new one. "
        "Running it again updates what changed and creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WordPress eXtended RSS (.xml) export file.")
        parser.add_argument(
            "--uploads", help="A copy of the site's wp-content/uploads folder (no network is used)."
        )
        parser.add_argument(
            "--mapping", help="A JSON file mapping categories to kinds and sections (see docs)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Write nothing; print the same summary."
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options):
        path = Path(options["export"])
        if not path.is_file():
            raise CommandError(_("%(path)s: no such file.") % {"path": path})
        uploads = Path(options["uploads"]) if options["uploads"] else None
        if uploads is not None and not uploads.is_dir():
            raise CommandError(_("%(path)s: no such folder.") % {"path": uploads})
        try:
            mapping = Mapping.load(options["mapping"]) if options["mapping"] else Mapping()
        except MappingError as exc:
            raise CommandError(str(exc)) from None

        self.tty = self.stdout.isatty()
        size = path.stat().st_size or 1
        try:
            export = read_export(
                path,
                local_tz=zoneinfo.ZoneInfo(settings.TIME_ZONE),
                progress=lambda done: self._bar(_("reading"), done, size),
            )
        except NotAnExport as exc:
            raise CommandError(_("%(path)s: %(reason)s") % {"path": path, "reason": exc}) from None
        self._bar(_("reading"), size, size)
        summary = wordpress_import(
            export=export,
            uploads=uploads,
            mapping=mapping,
            dry_run=options["dry_run"],
            progress=self._bar,
        )
        self._report(export, summary)
        if options["verbosity"] >= 2:
            stages = ", ".join(f"{stage} {secs:.1f} s" for stage, secs in summary.seconds.items())
            self.stdout.write(f"timings: {stages}")

    def _bar(self, label, done, total):
        if not self.tty or not total:
            return
        filled = int(BAR_WIDTH * done / total)
        self.stdout.write(
            f"\r{label:<12} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {100 * done // total:3d}%",
            ending="\n" if done >= total else "",
        )
        self.stdout.flush()

    def _report(self, export, summary):
        out = self.stdout
        out.write(
            _("WordPress site %(site)s (export version %(version)s)")
            % {"site": export.site_url, "version": export.version}
        )
        for label, counter in (
            (pgettext("import summary", "Created"), summary.created),
            (pgettext("import summary", "Updated"), summary.updated),
            (pgettext("import summary", "Unchanged"), summary.unchanged),
            (pgettext("import summary", "Skipped"), summary.skipped),
        ):
            if counter:
                out.write(f"{label}:")
                for what, count in sorted(counter.items()):
                    out.write(f"  {what}: {count}")
        if summary.warning_count:
            out.write(self.style.WARNING(_("Warnings: %(n)s") % {"n": summary.warning_count}))
            for message in summary.warnings:
                out.write(f"  {message}")
        if summary.dry_run:
            out.write(self.style.WARNING(_("Dry run: nothing was written.")))
        else:
            out.write(self.style.SUCCESS(_("Import finished.")))
