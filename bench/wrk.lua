-- A request per call. Where "{id}" stands in the path or the body, each request puts a
-- random run id in 1..MAX_ID there; otherwise the one request is built once per thread
-- (wrk's static mode, chosen by leaving `request` undefined after init).
-- args: METHOD PATH BODY("-" for none) AUTHORIZATION("-" for none) MAX_ID
local thread_seq = 0

function setup(thread)
  thread_seq = thread_seq + 1
  thread:set("seed", thread_seq * 7919)
end

local path_pre, path_post, body_pre, body_post, max_id

local function split(text)
  local at = string.find(text, "{id}", 1, true)
  if at == nil then
    return text, nil
  end
  return string.sub(text, 1, at - 1), string.sub(text, at + 4)
end

function init(args)
  math.randomseed(seed or 1)
  wrk.method = args[1]
  wrk.path = args[2]
  if args[3] ~= "-" then
    wrk.body = args[3]
    wrk.headers["Content-Type"] = "application/json"
  end
  if args[4] ~= "-" then
    wrk.headers["Authorization"] = args[4]
  end
  max_id = tonumber(args[5])
  path_pre, path_post = split(args[2])
  if wrk.body then
    body_pre, body_post = split(wrk.body)
  end
  if path_post == nil and body_post == nil then
    request = nil -- static: wrk sends wrk.method, wrk.path, wrk.headers and wrk.body
  end
end

function request()
  local id = tostring(math.random(1, max_id))
  local path = path_pre
  if path_post ~= nil then
    path = path_pre .. id .. path_post
  end
  local body = body_pre
  if body_post ~= nil then
    body = body_pre .. id .. body_post
  end
  return wrk.format(nil, path, nil, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"bytes":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end
