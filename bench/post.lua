-- Comment submission: the form body (with a CSRF token) comes from bench/run.py in
-- BENCH_BODY; BENCH_SERIAL in it is replaced by a number unique to each request, so that
-- the duplicate-comment rule does not refuse the writers. Responses are counted as
-- accepted (the 302 after a stored comment), refused (400: a moderation rule said no,
-- the form is shown again) and failed (any other status).
local template = os.getenv("BENCH_BODY")
-- BENCH_PAUSE_MS: each connection (writer) waits this long before its next comment.
local pause = tonumber(os.getenv("BENCH_PAUSE_MS") or "0")
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  accepted, refused, failed, serial = 0, 0, 0, 0
  run = tostring(os.time())
end

function request()
  serial = serial + 1
  local body = string.gsub(template, "BENCH_SERIAL", run .. "-" .. tid .. "-" .. serial)
  return wrk.format("POST", nil, nil, body)
end

function delay()
  return pause
end

function response(status, headers, body)
  if status < 400 then
    accepted = accepted + 1
  elseif status == 400 then
    refused = refused + 1
  else
    failed = failed + 1
  end
end

done = function(summary, latency, requests)
  local a, r, f = 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    r = r + thread:get("refused")
    f = f + thread:get("failed")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"rps": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "requests": %d, "errors": %d, '
    .. '"accepted": %d, "refused": %d, "failed": %d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, a, r, f))
end
