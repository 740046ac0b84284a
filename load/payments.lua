-- wrk script: POST /v1/payments with a fresh Idempotency-Key per request, so every request is a new
-- payment, never a replay. Keys start with 64 random bits, like the UUIDv4 keys real clients send
-- (so they land all over the key index, as in production), and end with run id + thread + counter,
-- which keeps them unique. Counts statuses per thread and prints them
-- with the latency percentiles at the end.
--   BENCH_SECRET  API key (Bearer)                    BENCH_RUN  prefix that keeps keys unique across runs
--   BENCH_RATE    optional: offer this many requests per second in total (spread over the threads, each
--                 sending on a fixed schedule), to measure latency at a given rate instead of at the
--                 server's maximum; a connection still waits for its response, so at most -c are in flight.
--                 Latency is timed from the moment a request is sent, as wrk always does.
--   BENCH_DELAY_MS optional: each connection waits this long after a response before its next request
--                 (a cruder way to offer less than the maximum; ignored when BENCH_RATE is set)
--   BENCH_LIMIT   optional: stop each thread after this many responses (for "N payments" runs), leaving
--                 a file per finished thread in BENCH_DONE_DIR

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

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
  closes = 0
  limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
  pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
  local rate = tonumber(os.getenv("BENCH_RATE") or "0")
  if rate > 0 then
    -- This thread's share of the rate, as the gap between its scheduled send times. A Lua state
    -- cannot see how many threads wrk runs, so the caller says (BENCH_THREADS, as passed to -t).
    interval_ms = tonumber(os.getenv("BENCH_THREADS") or "2") * 1000 / rate
  end
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
  if not interval_ms then
    return pause
  end
  -- The next free slot on this thread's schedule; late slots are sent at once (the backlog an
  -- open-loop client would have), early ones wait for their time. The backlog is capped at 32
  -- slots, one per connection of a thread at -t2 -c64: after a long stall the client catches up
  -- with one burst, not with every slot it missed.
  local now = now_ms()
  next_send = math.max(next_send or now, now - interval_ms * 32)
  local wait = next_send - now
  next_send = next_send + interval_ms
  return wait > 0 and math.floor(wait) or 0
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  for name, value in pairs(headers) do
    -- a response that closes its connection costs a keep-alive client a new TCP handshake
    if name:lower() == "connection" and value:lower():find("close", 1, true) then closes = closes + 1 end
  end
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
  local totals, closed = {}, 0
  for _, t in ipairs(threads) do
    closed = closed + t:get("closes")
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
  io.write(string.format("RESULT requests=%d seconds=%.1f rate=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s connection_close=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ","), closed,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
