-- Requests over a list of paths: the file named by BENCH_PATHS, one a line; each connection walks
-- the list in turn. With BENCH_UNIQUE=1 every request also carries a parameter no other request
-- shares (utm_source=N), as links from newsletters and ads do. Prints one JSON line: latency,
-- errors, and the answers that were not 2xx, with the 5xx and the 429s among them counted apart.
--
-- Who asks: the load balancer in front names each client in X-Forwarded-For, and the site (with
-- TRUSTED_PROXY_COUNT=1) keys each client's miss budget on it. BENCH_CLIENTS=N makes the requests
-- come from N addresses in turn, BENCH_NETWORK followed by 1..N ("198.51.100." by default): one
-- address is one client flooding the site, many are many visitors.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then table.insert(paths, line) end
end
local unique = os.getenv("BENCH_UNIQUE") == "1"
local clients = tonumber(os.getenv("BENCH_CLIENTS") or "1")
local network = os.getenv("BENCH_NETWORK") or "198.51.100."

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  index = offset * 7
  serial = offset * 1000000000
  client = offset
  non2xx, server_errors, too_many = 0, 0, 0
end

function request()
  index = index + 1
  local path = paths[(index % #paths) + 1]
  if unique then
    serial = serial + 1
    local joiner = path:find("?", 1, true) and "&" or "?"
    path = path .. joiner .. "utm_source=" .. serial
  end
  client = client + 1
  local headers = {
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = network .. ((client % clients) + 1),
  }
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if status >= 500 then server_errors = server_errors + 1 end
    if status == 429 then too_many = too_many + 1 end
  end
end

function done(summary, latency, requests)
  local totals = {non2xx = 0, server_errors = 0, too_many = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "non2xx": %d, "status_5xx": %d, "status_429": %d, ' ..
    '"paths": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    totals.non2xx, totals.server_errors, totals.too_many, #paths))
end
