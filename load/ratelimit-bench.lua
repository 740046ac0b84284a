-- Counts every response by status and checks each 429/503 for Retry-After, so the run proves
-- there were no silent drops: every request got an answer, and every rejection said when to retry.
-- It also counts responses that close their connection (Connection: close): on a keep-alive
-- client each one costs a new TCP handshake, so the hot paths should have none.
-- Optional: BENCH_METHOD / BENCH_BODY / BENCH_AUTH / BENCH_IDEMPOTENCY_KEY from the environment, and
-- BENCH_DELAY_MS: each connection waits this long after a response (to offer a lower rate).
local threads = {}

wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. auth
end
local key = os.getenv("BENCH_IDEMPOTENCY_KEY")
if key and key ~= "" then
  wrk.headers["Idempotency-Key"] = key
end

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
if pause > 0 then
  -- Only defined when asked for: wrk calls delay() before every request if it exists.
  function delay() return pause end
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  missing_retry_after = 0
  missing_ratelimit = 0
  closes = 0
end

-- Header names are case-insensitive (the JDK server sends "Retry-after", "Ratelimit").
local function has_header(headers, wanted)
  for name, _ in pairs(headers) do
    if name:lower() == wanted then return true end
  end
  return false
end

local function closes_connection(headers)
  for name, value in pairs(headers) do
    if name:lower() == "connection" and value:lower():find("close", 1, true) then return true end
  end
  return false
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if closes_connection(headers) then closes = closes + 1 end
  if status == 429 or status == 503 then
    if not has_header(headers, "retry-after") then missing_retry_after = missing_retry_after + 1 end
    if not has_header(headers, "ratelimit") then missing_ratelimit = missing_ratelimit + 1 end
  end
end

function done(summary, latency, requests)
  local total, missing_ra, missing_rl, closed = {}, 0, 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
    missing_ra = missing_ra + thread:get("missing_retry_after")
    missing_rl = missing_rl + thread:get("missing_ratelimit")
    closed = closed + thread:get("closes")
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  local parts = {}
  for _, status in ipairs(keys) do table.insert(parts, status .. "=" .. total[status]) end
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d rps=%.0f statuses=%s missing_retry_after=%d missing_ratelimit=%d "
      .. "connection_close=%d errors_connect=%d errors_read=%d errors_write=%d errors_timeout=%d p50_ms=%.2f p99_ms=%.2f\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6), table.concat(parts, ","),
      missing_ra, missing_rl, closed, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
