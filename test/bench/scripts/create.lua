-- wrk: POST a confidential client with a clientId unique per request (and per wrk thread and run).
-- TOKEN: an admin token in the environment.
local counter = 0
local run = tostring(os.time()) .. tostring(math.random(1000000))
local token = os.getenv("TOKEN")

request = function()
  counter = counter + 1
  local body = '{"clientId":"bench-' .. run .. '-' .. counter .. '","displayName":"Bench client",' ..
    '"redirectUris":["https://app.example.com/callback"]}'
  return wrk.format("POST", "/api/v1/clientapplications",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
