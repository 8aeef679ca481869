#!/usr/bin/env bash
# Regenerates export.xml and uploads/ in this folder from a real WordPress: Debian's wordpress
# package run from PHP on the command line (no web server) against the local MariaDB.
# Needs root (packages, a database, /etc/wordpress). Everything it creates is removed again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
host="old.levant24.test"
db="levant24_wpfixture"
packages=(wordpress php8.2-cli php8.2-mysql php8.2-gd)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

work="$(mktemp -d)"
config="/etc/wordpress/config-${host}.php"
cleanup() {
  mysql -uroot -e "DROP DATABASE IF EXISTS ${db}; DROP USER IF EXISTS '${db}'@'localhost';" || true
  rm -f "$config"
  rm -rf "$work"
}
trap cleanup EXIT

password="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
mysql -uroot -e "DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4;
  CREATE USER IF NOT EXISTS '${db}'@'localhost' IDENTIFIED BY '${password}';
  GRANT ALL ON ${db}.* TO '${db}'@'localhost';"
mkdir -p "$work/wp-content/uploads"
cat > "$config" <<PHP
<?php
define('DB_NAME', '${db}');
define('DB_USER', '${db}');
define('DB_PASSWORD', '${password}');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('WP_CONTENT_DIR', '${work}/wp-content');
define('WP_HOME', 'http://${host}');
define('WP_SITEURL', 'http://${host}');
define('WP_CONTENT_URL', 'http://${host}/wp-content');
PHP

WP_HOST="$host" php "$here/make_export.php" > "$work/export.xml"
grep -q "<wp:wxr_version>" "$work/export.xml" || { echo "export failed:"; head -50 "$work/export.xml"; exit 1; }
rm -rf "$here/uploads"
cp -r "$work/wp-content/uploads" "$here/uploads"
cp "$work/export.xml" "$here/export.xml"
echo "wrote $here/export.xml and $here/uploads ($(find "$here/uploads" -type f | wc -l) files)"
