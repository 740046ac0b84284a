-- wrk script: POST /v1/payments with a fresh Idempotency-Key per request, so every request is a new
-- payment, never a replay. Keys start with 64 random bits, like the UUIDv4 keys real clients send
-- (so they land all over the key index, as in production), and end with run id + thread + counter,
-- which keeps them unique. Counts statuses per thread and prints them
-- with the latency percentiles at the end.
--   BENCH_SECRET  API key (Bearer)                    BENCH_RUN  prefix that keeps keys unique across runs
--   BENCH_DELAY_MS optional: each connection waits this long after a response before its next request,
--                 to offer a lower rate than the server's maximum at the same concurrency
--   BENCH_LIMIT   optional: stop each thread after this many responses (for "N payments" runs), leaving
--                 a file per finished thread in BENCH_DONE_DIR

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  responses = 0
  statuses = {}
  limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
  pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
  suffix = "-" .. (os.getenv("BENCH_RUN") or tostring(os.time())) .. "-" .. id .. "-"
  math.randomseed(os.time() + id * 7919)
  secret = os.getenv("BENCH_SECRET") or "sk_test_bench_0123456789abcdef"
  body = '{"amount": 1999, "currency": "usd", "payment_method": "pm_card_visa", "description": "bench"}'
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/payments", {
    ["Authorization"] = "Bearer " .. secret,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("%08x%08x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
        .. suffix .. counter,
  }, body)
end

function delay()
  return pause
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  responses = responses + 1
  if limit > 0 and responses == limit then
    -- wrk itself only stops at -d; leave a mark so the calling script can end the run (SIGINT).
    local done_dir = os.getenv("BENCH_DONE_DIR")
    if done_dir then
      local mark = io.open(done_dir .. "/thread-" .. id, "w")
      if mark then mark:close() end
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local totals = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(totals) do
    table.insert(parts, status .. "=" .. n)
  end
  table.sort(parts)
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.1f rate=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ","),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
