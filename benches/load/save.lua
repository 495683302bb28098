-- Score saves: each thread (one connection) cycles over its own matches,
-- alternating a score and a clear, carrying the version from each answer.
local ids, versions, idx, clear = {}, {}, 0, false
local tid = 0
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
end
function init(args)
  local i = 0
  for id in string.gmatch(os.getenv("IDS") or "", "%d+") do
    i = i + 1
    if i % 2 == tid % 2 then table.insert(ids, id) end
  end
  if #ids == 0 then for id in string.gmatch(os.getenv("IDS") or "", "%d+") do table.insert(ids, id) end end
  for _, id in ipairs(ids) do versions[id] = 0 end
  wrk.headers["Cookie"] = os.getenv("COOKIE")
  wrk.headers["X-CSRF-Token"] = os.getenv("CSRF")
  wrk.headers["HX-Request"] = "true"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local current
function request()
  idx = idx % #ids + 1
  current = ids[idx]
  local body
  if clear then
    body = "clear=1&version=" .. versions[current]
  else
    body = "score_a=14&score_b=10&version=" .. versions[current]
  end
  if idx == #ids then clear = not clear end
  return wrk.format("POST", "/matches/" .. current .. "/score", nil, body)
end
function response(status, headers, body)
  local v = string.match(body, 'name="version" value="(%d+)"')
  if v and current then versions[current] = tonumber(v) end
end
