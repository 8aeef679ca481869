<?php
// Builds an Arabic newsroom in a fresh WordPress through WordPress's own functions and prints
// WordPress's own export of it (Tools > Export > All content). Run by make_export.sh.
$_SERVER['HTTP_HOST'] = getenv('WP_HOST');
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

add_filter('pre_wp_mail', '__return_false'); // no mail leaves this machine
ob_start(); // wp_install() talks; only the export goes to stdout.
wp_install('ليفانت القديم', 'admin', 'admin@old.levant24.test', true, '', wp_generate_password());
update_option('timezone_string', 'Asia/Damascus');
update_option('blogdescription', 'أرشيف الموقع القديم');
global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
// The administrator may post any HTML (unfiltered_html), as real newsroom admins do: the
// importer must not trust it.
wp_set_current_user(1);
// The sample post, page and privacy page of a fresh install are not newsroom content.
foreach ([1, 2, 3] as $sample) {
    wp_delete_post($sample, true);
}

function check($value, $what) {
    if (is_wp_error($value) || !$value) {
        fwrite(STDERR, "failed: $what: " . (is_wp_error($value) ? $value->get_error_message() : 'empty') . "\n");
        exit(1);
    }
    return $value;
}

// Authors.
$rana = check(wp_insert_user([
    'user_login' => 'rana', 'user_email' => 'rana@old.levant24.test', 'user_pass' => wp_generate_password(),
    'display_name' => 'رنا الحلبي', 'first_name' => 'رنا', 'last_name' => 'الحلبي',
    'description' => 'مراسلة الموقع في حلب، تكتب عن الاقتصاد المحلي.', 'role' => 'author',
]), 'user rana');
$omar = check(wp_insert_user([
    'user_login' => 'omar.k', 'user_email' => 'omar@old.levant24.test', 'user_pass' => wp_generate_password(),
    'display_name' => 'عمر قباني', 'description' => 'كاتب رأي ومحلل سياسي.', 'role' => 'editor',
]), 'user omar');

// Categories: the seven kinds (Arabic and English names and slugs mixed, as real sites are)
// and three sections.
function cat($name, $slug = null) {
    $args = $slug ? ['slug' => $slug] : [];
    return check(wp_insert_term($name, 'category', $args), "category $name")['term_id'];
}
$c = [
    'news' => cat('أخبار'),
    'analysis' => cat('تحليلات'),
    'interview' => cat('Interviews', 'interviews'),
    'deep' => cat('مقال عميق'),
    'opinion' => cat('مقال رأي', 'opinion'),
    'infographic' => cat('إنفوجرافيك'),
    'video' => cat('Video', 'فيديو'),
    'syria' => cat('سوريا'),
    'world' => cat('العالم', 'world'),
    'economy' => cat('اقتصاد'),
];

// Images: drawn here, attached the way the media library does it.
function make_image($name, $date, $parent, $title, $caption, $alt, $credit, $rgb) {
    $dir = wp_upload_dir($date);
    $file = $dir['path'] . '/' . $name;
    $im = imagecreatetruecolor(480, 320);
    imagefill($im, 0, 0, imagecolorallocate($im, $rgb[0], $rgb[1], $rgb[2]));
    imagefilledellipse($im, 240, 160, 200, 120, imagecolorallocate($im, 250, 250, 240));
    imagejpeg($im, $file, 70);
    imagedestroy($im);
    $id = check(wp_insert_attachment([
        'post_mime_type' => 'image/jpeg', 'post_title' => $title, 'post_excerpt' => $caption,
        'post_content' => '', 'post_status' => 'inherit', 'post_date' => $date . '/01 10:00:00',
    ], $file, $parent), "attachment $name");
    $meta = wp_generate_attachment_metadata($id, $file);
    $meta['image_meta']['credit'] = $credit;
    wp_update_attachment_metadata($id, $meta);
    update_post_meta($id, '_wp_attachment_image_alt', $alt);
    return $id;
}

function post($args) {
    $defaults = ['post_type' => 'post', 'post_status' => 'publish', 'comment_status' => 'open'];
    return check(wp_insert_post(wp_slash(array_merge($defaults, $args)), true), 'post ' . $args['post_title']);
}

// 1. News, block editor, with an image block, a featured image, tags and threaded comments.
$news = post([
    'post_title' => 'افتتاح سوق الحرف اليدوية في حلب القديمة',
    'post_name' => 'سوق-الحرف-حلب',
    'post_author' => $rana,
    'post_date' => '2025-02-13 09:30:00', 'post_date_gmt' => '2025-02-13 06:30:00',
    'post_excerpt' => 'عاد الحرفيون إلى أزقة المدينة القديمة بعد سنوات من الإغلاق.',
    'post_category' => [$c['news'], $c['syria']],
    'tags_input' => ['حلب', 'حرف يدوية'],
    'post_content' => '',
]);
$img1 = make_image('souq.jpg', '2025/02', $news, 'سوق الحرف', 'حرفي يعرض منتجاته في السوق', 'رجل يقف أمام دكان نحاس', 'مواقع التواصل الاجتماعي', [120, 80, 40]);
$img2 = make_image('lantern.jpg', '2025/02', $news, 'فانوس', '', 'فانوس نحاسي مضاء', '', [30, 60, 90]);
set_post_thumbnail($news, $img1);
$lantern = wp_get_attachment_image_src($img2, 'medium')[0];
wp_update_post(wp_slash(['ID' => $news, 'post_content' =>
"<!-- wp:paragraph -->
<p>افتتحت صباح اليوم سوق الحرف اليدوية في حلب القديمة &amp; توافد الزوار منذ الساعات الأولى.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2>عودة الحرفيين</h2>
<!-- /wp:heading -->

<!-- wp:image {\"id\":$img2,\"sizeSlug\":\"medium\",\"linkDestination\":\"none\"} -->
<figure class=\"wp-block-image size-medium\"><img src=\"$lantern\" alt=\"فانوس نحاسي مضاء\" class=\"wp-image-$img2\"/><figcaption class=\"wp-element-caption\">فانوس من صنع ورشة في باب النصر</figcaption></figure>
<!-- /wp:image -->

<!-- wp:paragraph -->
<p>قال أحد الحرفيين: &#8220;هذه المهنة ورثناها عن آبائنا&#8221;.</p>
<!-- /wp:paragraph -->"]));
$news_link = get_permalink($news);

// 2. Analysis, classic editor, with a [caption] shortcode and links to the news post's old
// permalink (as WordPress wrote it, and typed by hand with Arabic letters).
$img3 = make_image('chart.jpg', '2025/03', 0, 'رسم بياني', '', 'أعمدة تمثل الأسعار', '', [20, 110, 60]);
$chart = wp_get_attachment_url($img3);
$analysis = post([
    'post_title' => 'ماذا يعني رفع الدعم عن الخبز؟',
    'post_author' => $omar,
    'post_date' => '2025-03-02 18:00:00', 'post_date_gmt' => '2025-03-02 15:00:00',
    'post_category' => [$c['analysis'], $c['economy']],
    'tags_input' => ['الخبز', 'الدعم'],
    'post_content' => "يرى اقتصاديون أن القرار سيطال الأسر الأشد فقراً أولاً.\n\n"
        . "[caption id=\"attachment_$img3\" align=\"aligncenter\" width=\"480\"]<img class=\"size-full wp-image-$img3\" src=\"$chart\" alt=\"أعمدة تمثل الأسعار\" width=\"480\" height=\"320\" /> تطور سعر ربطة الخبز خلال عام[/caption]\n\n"
        . "اقرأ أيضاً: <a href=\"$news_link\">افتتاح سوق الحرف</a> و<a href=\"http://old.levant24.test/2025/02/13/سوق-الحرف-حلب/\">الخبر نفسه بعنوان آخر</a>.\n\n"
        . "الأسعار&nbsp;ارتفعت بنسبة 40&#37; خلال عام.",
]);

// 3. Interview.
post([
    'post_title' => 'حوار مع مديرة مكتبة الأسد الوطنية',
    'post_author' => $rana,
    'post_date' => '2025-03-10 12:00:00', 'post_date_gmt' => '2025-03-10 09:00:00',
    'post_category' => [$c['interview'], $c['syria']],
    'post_content' => "<!-- wp:paragraph -->\n<p><strong>س:</strong> كيف نجت المخطوطات؟</p>\n<!-- /wp:paragraph -->",
]);

// 4. Deep-dive, 5. opinion, 6. infographic.
post([
    'post_title' => 'الطريق الدولي: رحلة على الخط الذي يربط البلاد',
    'post_author' => $rana,
    'post_date' => '2025-04-01 08:00:00', 'post_date_gmt' => '2025-04-01 05:00:00',
    'post_category' => [$c['deep'], $c['syria']],
    'post_content' => "<!-- wp:paragraph -->\n<p>على امتداد مئات الكيلومترات...</p>\n<!-- /wp:paragraph -->",
]);
$opinion = post([
    'post_title' => 'في مديح الصحافة المحلية',
    'post_author' => $omar,
    'post_date' => '2025-04-05 20:00:00', 'post_date_gmt' => '2025-04-05 17:00:00',
    'post_category' => [$c['opinion'], $c['world']],
    'post_content' => "<!-- wp:paragraph -->\n<p>الصحافة المحلية هي ذاكرة المدن.</p>\n<!-- /wp:paragraph -->",
]);
$img4 = make_image('infographic.png', '2025/04', 0, 'انفوجراف', 'توزع السكان حسب المحافظات', 'خريطة ملونة', 'قسم الرسوم', [200, 40, 40]);
$infographic = post([
    'post_title' => 'بالأرقام: توزع السكان في المحافظات',
    'post_author' => $rana,
    'post_date' => '2025-04-09 10:00:00', 'post_date_gmt' => '2025-04-09 07:00:00',
    'post_category' => [$c['infographic'], $c['syria']],
    'post_content' => "<!-- wp:paragraph -->\n<p>رسم يوضح الأرقام.</p>\n<!-- /wp:paragraph -->",
]);
set_post_thumbnail($infographic, $img4);

// 7. Video, with a YouTube embed block; 8. a news post with a Vimeo embed in classic content.
post([
    'post_title' => 'فيديو: جولة في قلعة دمشق',
    'post_author' => $rana,
    'post_date' => '2025-04-12 16:00:00', 'post_date_gmt' => '2025-04-12 13:00:00',
    'post_category' => [$c['video'], $c['syria']],
    'post_content' => "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=aqz-KE-bpKQ\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n"
        . "<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ\n</div><figcaption class=\"wp-element-caption\">جولة مصورة داخل أسوار القلعة</figcaption></figure>\n<!-- /wp:embed -->\n\n"
        . "<!-- wp:paragraph -->\n<p>القلعة مفتوحة للزوار يومياً.</p>\n<!-- /wp:paragraph -->",
]);
post([
    'post_title' => 'مهرجان الفيلم القصير يعلن جوائزه',
    'post_author' => $omar,
    'post_date' => '2025-04-20 21:00:00', 'post_date_gmt' => '2025-04-20 18:00:00',
    'post_category' => [$c['news'], $c['world']],
    'post_content' => "أعلن المهرجان جوائزه مساء الأحد.\n\n[embed]https://vimeo.com/76979871[/embed]\n\nوفاز فيلم قصير من حمص بالجائزة الأولى.",
]);

// Not public: scheduled, draft, pending review, private, trash.
post(['post_title' => 'خبر مجدول للنشر لاحقاً', 'post_author' => $rana, 'post_status' => 'future',
      'post_date' => '2031-06-01 09:00:00', 'post_date_gmt' => '2031-06-01 06:00:00',
      'post_category' => [$c['news'], $c['syria']], 'post_content' => '<p>سينشر لاحقاً.</p>']);
post(['post_title' => 'مسودة لم تكتمل', 'post_author' => $rana, 'post_status' => 'draft',
      'post_category' => [$c['news']], 'post_content' => '<p>نص غير مكتمل.</p>']);
post(['post_title' => 'مقال بانتظار المراجعة', 'post_author' => $omar, 'post_status' => 'pending',
      'post_category' => [$c['opinion']], 'post_content' => '<p>ينتظر المحرر.</p>']);
post(['post_title' => 'ملاحظات داخلية خاصة', 'post_author' => $omar, 'post_status' => 'private',
      'post_date' => '2025-01-05 10:00:00', 'post_date_gmt' => '2025-01-05 07:00:00',
      'post_category' => [$c['news']], 'post_content' => '<p>لا تنشر.</p>']);
$trashed = post(['post_title' => 'خبر محذوف', 'post_author' => $omar,
      'post_date' => '2025-01-06 10:00:00', 'post_date_gmt' => '2025-01-06 07:00:00',
      'post_category' => [$c['news']], 'post_content' => '<p>حذف.</p>']);
wp_trash_post($trashed);

// A post whose author pasted scripts and event handlers (the admin may: unfiltered_html).
post([
    'post_title' => 'بيان صحفي منسوخ من موقع آخر',
    'post_author' => $omar,
    'post_date' => '2025-05-01 11:00:00', 'post_date_gmt' => '2025-05-01 08:00:00',
    'post_category' => [$c['news'], $c['economy']],
    'post_content' => "<p>نص البيان.</p>\n<script>document.cookie='stolen'</script>\n"
        . "<p><img src=\"x.png\" onerror=\"alert(1)\"> <a href=\"javascript:alert(2)\">اضغط هنا</a></p>\n"
        . "<iframe src=\"https://evil.example/\"></iframe><p style=\"color:red\" onclick=\"alert(3)\">نهاية</p>",
]);

// A page: not an article.
post(['post_type' => 'page', 'post_title' => 'من نحن', 'post_content' => '<p>موقع إخباري مستقل.</p>']);

// Comments on the news post: approved and threaded, held, trash, spam (the exporter drops spam).
function comment($post, $args) {
    $defaults = ['comment_post_ID' => $post, 'comment_approved' => 1, 'comment_type' => 'comment',
                 'comment_author_IP' => '203.0.113.7', 'comment_agent' => 'Mozilla/5.0'];
    return check(wp_insert_comment(wp_slash(array_merge($defaults, $args))), 'comment');
}
$first = comment($news, ['comment_author' => 'أبو خالد', 'comment_author_email' => 'abu.khaled@example.net',
    'comment_content' => "خبر جميل، أتمنى أن تعود الحياة إلى كل الأسواق.",
    'comment_date' => '2025-02-13 11:00:00', 'comment_date_gmt' => '2025-02-13 08:00:00']);
comment($news, ['comment_author' => 'ليلى', 'comment_author_email' => 'layla@example.org',
    'comment_author_url' => 'https://layla.example.org/', 'comment_parent' => $first,
    'comment_content' => "أوافقك الرأي &amp; أضيف أن <b>الأسعار</b> ما زالت مرتفعة. <script>alert('x')</script>",
    'comment_date' => '2025-02-13 12:15:00', 'comment_date_gmt' => '2025-02-13 09:15:00']);
comment($news, ['comment_author' => 'زائر', 'comment_author_email' => 'visitor@example.com',
    'comment_approved' => 0, 'comment_content' => 'تعليق ينتظر الموافقة.',
    'comment_date' => '2025-02-14 08:00:00', 'comment_date_gmt' => '2025-02-14 05:00:00']);
comment($news, ['comment_author' => 'محذوف', 'comment_author_email' => 'trash@example.com',
    'comment_approved' => 'trash', 'comment_content' => 'تعليق في سلة المهملات.',
    'comment_date' => '2025-02-14 09:00:00', 'comment_date_gmt' => '2025-02-14 06:00:00']);
comment($news, ['comment_author' => 'spammer', 'comment_author_email' => 'spam@example.com',
    'comment_approved' => 'spam', 'comment_content' => 'buy now http://spam.example/',
    'comment_date' => '2025-02-14 10:00:00', 'comment_date_gmt' => '2025-02-14 07:00:00']);
comment($analysis, ['comment_author' => 'سامر', 'comment_author_email' => 'samer@example.net',
    'comment_content' => 'تحليل دقيق.',
    'comment_date' => '2025-03-03 10:00:00', 'comment_date_gmt' => '2025-03-03 07:00:00']);

ob_end_clean();
ob_start();
export_wp(['content' => 'all']);
$xml = ob_get_clean();
// The export names the moment it was made; a fixed one keeps regenerations comparable.
$xml = preg_replace('#(<channel>.*?<pubDate>)[^<]*#s', '${1}Thu, 01 Jan 2026 00:00:00 +0000', $xml, 1);
$xml = preg_replace('#created="[^"]*"#', 'created="2026-01-01 00:00"', $xml, 1);
echo $xml;
