-- wrk's done() hook: one JSON line (BENCH_JSON) with the rate's inputs, latency percentiles
-- in ms, socket errors, answers >= 400, and the 302s/others a script's response() counted.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local redirects, others = 0, 0
  for _, t in ipairs(threads) do
    redirects = redirects + (t:get("redirects") or 0)
    others = others + (t:get("others") or 0)
  end
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, '
    .. '"p99_ms": %.2f, "errors": %d, "status_errors": %d, "redirects": %d, "others": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status,
    redirects, others))
end
