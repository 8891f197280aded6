-- The whole page mix: each connection walks the list of paths in turn; counts every non-2xx.
-- The paths come from the file named by the environment variable BENCH_MIX (one a line).
local paths = {}
for line in io.lines(os.getenv("BENCH_MIX")) do
  if line ~= "" then table.insert(paths, line) end
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  index = offset * 7
  non2xx = 0
  statuses = {}
end

function request()
  index = index + 1
  local path = paths[(index % #paths) + 1]
  return wrk.format("GET", path, {["X-Forwarded-Proto"] = "https"})
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "non2xx": %d, "paths": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    non2xx_total, #paths))
end
