vcl 4.1;
# Levant24 behind Varnish: every public page is the same for every reader, kept here and
# purged by key (xkey) when the newsroom changes what it shows. See docs/deploy.md.
#
# `make edge` and the tests copy this file with the backend port replaced.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz";
        .timeout = 2s;
        .interval = 2s;
        .window = 5;
        .threshold = 3;
    }
}

# Only the app servers on this machine may purge.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header required"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff, accounts, the reader's own endpoint, previews and health checks: never kept.
    if (req.url ~ "^/(admin|accounts|comments|preview)/" || req.url ~ "^/healthz") {
        return (pass);
    }
    # The page right after posting a comment, or a reply chosen without JavaScript: the
    # reader's own version of an article page.
    if (req.url ~ "[?&](c|replyto)=") {
        return (pass);
    }
    # Public pages are the same for everyone: cookies would only split the cache.
    unset req.http.Cookie;
    unset req.http.Authorization;
    # While the app servers answer, a page is served at most 30 s past its lifetime (then
    # fetched again in the background); when they fail, as long as we still hold it.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 30s;
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(private|no-store)") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Serve stale on origin errors for a day (stale-if-error of the app's headers).
    set beresp.grace = 24h;
    if (beresp.status >= 500) {
        # Never keep an error in place of a good page.
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The purge keys are for the edge, not for browsers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    return (deliver);
}
