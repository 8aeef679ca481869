"""Write a large WordPress export (WXR 1.2) for timing ``manage.py import_wordpress``.

    .venv/bin/python bench/wordpress_export.py /tmp/big-export.xml --posts 10000 --comments 100000

The file has the shape of WordPress's own exporter (see tests/data/wordpress/export.xml):
block editor posts with Arabic text in every kind and several sections, tags, links between
posts, threaded comments (mostly approved, some held, some trashed). It is generated, never
committed.
"""

import argparse
import random
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

SITE = "http://old.example.org"
KINDS = ["أخبار", "تحليلات", "مقابلات", "مقال عميق", "مقال رأي", "إنفوجرافيك", "فيديو"]
SECTIONS = ["سوريا", "العالم", "اقتصاد", "ثقافة", "رياضة", "لبنان", "العراق", "تكنولوجيا"]
TEXT = (
    "قال المسؤول إن الحكومة ستعيد فتح الطريق بين المدينتين خلال الأسابيع المقبلة بعد انتهاء "
    "أعمال الصيانة وأضاف أن الأسعار في الأسواق المحلية ارتفعت بشكل ملحوظ منذ بداية العام "
    "وأشار التقرير إلى أن آلاف العائلات عادت إلى منازلها في الأحياء القديمة بينما تواصل "
    "المنظمات تقديم المساعدات في المخيمات ويرى خبراء أن الاقتصاد يحتاج إلى سنوات للتعافي"
)
WORDS = TEXT.split()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def slug(text):
    return quote("-".join(text.split()[:6]), safe="-").lower()


def write(path, *, posts, comments, seed=2025):
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    tags = [f"وسم {sentence(rng, 1)} {i}" for i in range(300)]
    per_post = [0] * posts
    for _ in range(comments):
        per_post[rng.randrange(posts)] += 1
    permalinks = []
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            '\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            '\txmlns:wfw="http://wellformedweb.org/CommentAPI/"\n'
            '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            '\txmlns:wp="http://wordpress.org/export/1.2/"\n>\n<channel>\n'
            f"\t<title>أرشيف</title>\n\t<link>{SITE}</link>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{SITE}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{SITE}</wp:base_blog_url>\n"
        )
        for i in range(1, 21):
            out.write(
                f"\t<wp:author><wp:author_id>{i}</wp:author_id>"
                f"<wp:author_login>{cdata(f'writer{i}')}</wp:author_login>"
                f"<wp:author_email>{cdata(f'writer{i}@old.example.org')}</wp:author_email>"
                f"<wp:author_display_name>{cdata(f'كاتب {i}')}</wp:author_display_name>"
                "</wp:author>\n"
            )
        for n in range(posts):
            wp_id = 1000 + n
            date = start + timedelta(minutes=53 * n)
            title = f"{sentence(rng, 7)} {n}"
            post_slug = slug(title)
            link = f"{SITE}/{date:%Y/%m/%d}/{post_slug}/"
            permalinks.append(link)
            paragraphs = [sentence(rng, rng.randint(25, 60)) for _ in range(rng.randint(4, 9))]
            if len(permalinks) > 1 and rng.random() < 0.3:
                other = rng.choice(permalinks[:-1])
                paragraphs[1] += f' <a href="{other}">{sentence(rng, 3)}</a>'
            body = "\n\n".join(
                f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs
            )
            status = rng.choices(["publish", "draft", "future", "private"], [96, 2, 1, 1])[0]
            if status == "future":
                date = datetime(2031, 1, 1, tzinfo=UTC) + timedelta(hours=n)
            cats = [rng.choice(KINDS), rng.choice(SECTIONS)]
            terms = "".join(
                f'\t\t<category domain="category" nicename="{quote(c).lower()}">{cdata(c)}</category>\n'
                for c in cats
            ) + "".join(
                f'\t\t<category domain="post_tag" nicename="{quote(t).lower()}">{cdata(t)}</category>\n'
                for t in rng.sample(tags, 3)
            )
            d = f"{date:%Y-%m-%d %H:%M:%S}"
            out.write(
                "\t<item>\n"
                f"\t\t<title>{cdata(title)}</title>\n\t\t<link>{link}</link>\n"
                f"\t\t<dc:creator>{cdata(f'writer{rng.randint(1, 20)}')}</dc:creator>\n"
                f'\t\t<guid isPermaLink="false">{SITE}/?p={wp_id}</guid>\n'
                f"\t\t<content:encoded>{cdata(body)}</content:encoded>\n"
                f"\t\t<excerpt:encoded>{cdata(sentence(rng, 15))}</excerpt:encoded>\n"
                f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n"
                f"\t\t<wp:post_date>{cdata(d)}</wp:post_date>\n"
                f"\t\t<wp:post_date_gmt>{cdata(d)}</wp:post_date_gmt>\n"
                f"\t\t<wp:post_modified_gmt>{cdata(d)}</wp:post_modified_gmt>\n"
                f"\t\t<wp:comment_status>{cdata('open')}</wp:comment_status>\n"
                f"\t\t<wp:post_name>{cdata(post_slug)}</wp:post_name>\n"
                f"\t\t<wp:status>{cdata(status)}</wp:status>\n"
                f"\t\t<wp:post_parent>0</wp:post_parent>\n"
                f"\t\t<wp:post_type>{cdata('post')}</wp:post_type>\n" + terms
            )
            ids = []
            for k in range(per_post[n]):
                comment_id += 1
                parent = rng.choice(ids) if ids and rng.random() < 0.3 else 0
                ids.append(comment_id)
                approved = rng.choices(["1", "0", "trash"], [90, 8, 2])[0]
                cdate = f"{date + timedelta(minutes=7 * (k + 1)):%Y-%m-%d %H:%M:%S}"
                out.write(
                    "\t\t<wp:comment>\n"
                    f"\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>\n"
                    f"\t\t\t<wp:comment_author>{cdata(f'قارئ {comment_id % 5000}')}</wp:comment_author>\n"
                    f"\t\t\t<wp:comment_author_email>{cdata(f'reader{comment_id % 5000}@example.net')}</wp:comment_author_email>\n"
                    f"\t\t\t<wp:comment_author_IP>{cdata(f'198.51.100.{comment_id % 250}')}</wp:comment_author_IP>\n"
                    f"\t\t\t<wp:comment_date_gmt>{cdata(cdate)}</wp:comment_date_gmt>\n"
                    f"\t\t\t<wp:comment_content>{cdata(sentence(rng, rng.randint(8, 40)))}</wp:comment_content>\n"
                    f"\t\t\t<wp:comment_approved>{cdata(approved)}</wp:comment_approved>\n"
                    f"\t\t\t<wp:comment_type>{cdata('comment')}</wp:comment_type>\n"
                    f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
                    "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
                    "\t\t</wp:comment>\n"
                )
            out.write("\t</item>\n")
        out.write("</channel>\n</rss>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--comments", type=int, default=100000)
    args = parser.parse_args()
    write(args.path, posts=args.posts, comments=args.comments)


if __name__ == "__main__":
    main()
