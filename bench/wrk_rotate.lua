-- A request per call with a random run id in 1..MAX_ID, put where "{id}" stands in the
-- path or the body.
-- args: METHOD PATH BODY("-" for none) AUTHORIZATION("-" for none) MAX_ID
local thread_seq = 0

function setup(thread)
  thread_seq = thread_seq + 1
  thread:set("seed", thread_seq * 7919)
end

local method, path_pre, path_post, body_pre, body_post, headers, max_id

local function split(text)
  local at = string.find(text, "{id}", 1, true)
  if at == nil then
    return text, nil
  end
  return string.sub(text, 1, at - 1), string.sub(text, at + 4)
end

function init(args)
  math.randomseed(seed or 1)
  method = args[1]
  path_pre, path_post = split(args[2])
  headers = {}
  if args[3] ~= "-" then
    body_pre, body_post = split(args[3])
    headers["Content-Type"] = "application/json"
  end
  if args[4] ~= "-" then
    headers["Authorization"] = args[4]
  end
  max_id = tonumber(args[5])
end

function request()
  local id = tostring(math.random(1, max_id))
  local path = path_pre
  if path_post ~= nil then
    path = path_pre .. id .. path_post
  end
  local body = nil
  if body_pre ~= nil then
    body = body_pre
    if body_post ~= nil then
      body = body_pre .. id .. body_post
    end
  end
  return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"bytes":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end
