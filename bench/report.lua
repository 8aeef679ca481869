-- Prints one machine-readable line at the end of a wrk run.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"rps": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "requests": %d, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout))
end
