-- One fixed request for every call: wrk builds it once per thread (static mode).
-- args: METHOD PATH BODY("-" for none) AUTHORIZATION("-" for none)
function init(args)
  wrk.method = args[1]
  wrk.path = args[2]
  if args[3] ~= "-" then
    wrk.body = args[3]
    wrk.headers["Content-Type"] = "application/json"
  end
  if args[4] ~= "-" then
    wrk.headers["Authorization"] = args[4]
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"bytes":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end
