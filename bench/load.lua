-- wrk script for `make bench`: headers come as arguments ("Name: value"), and with the
-- argument "many-clients" every request claims another client address (X-Real-IP, as the
-- reverse proxy sets it), so per-client lookup limits measure the page, not the limit.
local many_clients = false
local counter = 0

function init(args)
  for _, arg in ipairs(args) do
    if arg == "many-clients" then
      many_clients = true
    else
      local name, value = arg:match("^([^:]+):%s*(.*)$")
      if name then wrk.headers[name] = value end
    end
  end
end

function request()
  if many_clients then
    counter = counter + 1
    wrk.headers["X-Real-IP"] = string.format("10.%d.%d.%d", math.random(0, 255),
      math.floor(counter / 256) % 256, counter % 256)
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %.0f, ' ..
    '"p95_us": %.0f, "p99_us": %.0f, "max_us": %.0f, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout))
end
