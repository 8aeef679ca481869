"""Which kind and section a WordPress category means, and the optional mapping file.

Categories that name a kind (the seed menu: أخبار، تحليلات، مقابلات، مقال عميق، مقال رأي،
إنفوجرافيك، فيديو) are matched by name or slug, Arabic or English; the other categories are
sections. A JSON mapping file can override both, name the section for posts without one, and
give authors the bios that WordPress's exporter leaves out::

    {
      "categories": {"آراء": {"kind": "opinion"}, "local": {"section": "سوريا"},
                     "featured": {"ignore": true}},
      "default_section": "عام",
      "authors": {"rana": {"display_name": "رنا الحلبي", "bio": "مراسلة في حلب."}}
    }
"""

import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from articles.models import KIND_SLUGS, Kind
from articles.search import normalize_arabic

from .export import Term

KIND_WORDS = {
    Kind.NEWS: ["أخبار", "خبر", "news"],
    Kind.ANALYSIS: ["تحليلات", "تحليل", "analysis", "analyses"],
    Kind.INTERVIEW: ["مقابلات", "مقابلة", "حوارات", "interview", "interviews"],
    Kind.DEEP_DIVE: [
        "مقال عميق",
        "مقالات معمقة",
        "deep dive",
        "deep dives",
        "deep-dive",
        "longread",
    ],
    Kind.OPINION: ["مقال رأي", "مقالات رأي", "رأي", "opinion", "opinions"],
    Kind.INFOGRAPHIC: ["إنفوجرافيك", "انفوجراف", "infographic", "infographics"],
    Kind.VIDEO: ["فيديو", "فيديوهات", "video", "videos"],
}
# When a post carries several kind categories, the most specific wins.
KIND_PRECEDENCE = [
    Kind.VIDEO,
    Kind.INFOGRAPHIC,
    Kind.INTERVIEW,
    Kind.OPINION,
    Kind.DEEP_DIVE,
    Kind.ANALYSIS,
    Kind.NEWS,
]
# WordPress's default category holds posts nobody filed: not a section.
UNFILED = {"uncategorized", "غير مصنف"}
DEFAULT_SECTION = "عام"


def fold(value: str) -> str:
    """Compare category names and slugs regardless of hamza forms, case, - and _."""
    value = re.sub(r"[-_\s]+", " ", value or "").strip()
    return normalize_arabic(value).casefold()


_KIND_BY_WORD = {
    fold(word): kind
    for kind, words in KIND_WORDS.items()
    for word in [*words, kind.value, KIND_SLUGS[kind], str(kind.label)]
}


class MappingError(ValueError):
    pass


@dataclass
class Mapping:
    categories: dict[str, dict] = field(default_factory=dict)  # folded name or slug -> rule
    default_section: str = DEFAULT_SECTION
    authors: dict[str, dict] = field(default_factory=dict)
    source: str = ""  # the file's text, part of every post's fingerprint

    @classmethod
    def load(cls, path) -> "Mapping":
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            data = json.loads(text)
        except (OSError, ValueError) as exc:
            raise MappingError(
                _("Cannot read the mapping file: %(error)s") % {"error": exc}
            ) from None
        return cls.from_dict(data, source=text)

    @classmethod
    def from_dict(cls, data, *, source: str = "") -> "Mapping":
        if not isinstance(data, dict):
            raise MappingError(_("The mapping file must hold a JSON object."))
        categories = {}
        for key, rule in (data.get("categories") or {}).items():
            if not isinstance(rule, dict):
                raise MappingError(
                    _("Category %(name)s: the rule must be an object.") % {"name": key}
                )
            if "kind" in rule:
                kind = _KIND_BY_WORD.get(fold(str(rule["kind"])))
                if kind is None:
                    raise MappingError(
                        _("Category %(name)s: unknown kind %(kind)s.")
                        % {"name": key, "kind": rule["kind"]}
                    )
                rule = {**rule, "kind": kind}
            categories[fold(key)] = rule
        authors = data.get("authors") or {}
        if not isinstance(authors, dict):
            raise MappingError(_("The authors entry must be an object."))
        return cls(
            categories=categories,
            default_section=str(data.get("default_section") or DEFAULT_SECTION),
            authors=authors,
            source=source or json.dumps(data, sort_keys=True, ensure_ascii=False),
        )

    def classify(self, terms: list[Term]) -> tuple[str, tuple[str, str] | None]:
        """(kind, (section name, section slug) or None) of a post's categories."""
        kinds, sections = [], []
        for term in terms:
            if term.domain != "category":
                continue
            rule = self.categories.get(fold(term.slug)) or self.categories.get(fold(term.name))
            if rule is not None:
                if rule.get("ignore"):
                    continue
                if rule.get("kind"):
                    kinds.append(rule["kind"])
                if rule.get("section"):
                    sections.append((str(rule["section"]), ""))
                continue
            kind = _KIND_BY_WORD.get(fold(term.name)) or _KIND_BY_WORD.get(fold(term.slug))
            if kind is not None:
                kinds.append(kind)
            elif fold(term.slug) not in UNFILED and fold(term.name) not in UNFILED:
                sections.append((term.name, term.slug))
        kind = min(kinds, key=KIND_PRECEDENCE.index) if kinds else Kind.NEWS
        return kind, (sections[0] if sections else None)
