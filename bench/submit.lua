-- bench/submit.lua: wrk script that posts one module's quiz form again and
-- again, each request with an idempotency key of its own, so every request
-- is a new attempt (a repeated key would be a cheap duplicate, not a
-- submission). bench/run.sh prepares the form body, with the session's CSRF
-- token, the version and the answers, and "@KEY@" where the key goes.
--
--   wrk -t2 -c64 -d10s --latency -s bench/submit.lua URL/quiz -- BODY_FILE SESSION RUN_ID
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "r"))
  body = f:read("*a"):gsub("%s+$", "")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "fl_session=" .. args[2]
  run = args[3]
end

function request()
  counter = counter + 1
  -- 16 to 64 of [A-Za-z0-9_-], as the form's own keys.
  local key = string.format("%s-%d-%010d", run, tid, counter)
  return wrk.format(nil, nil, nil, (body:gsub("@KEY@", key)))
end
