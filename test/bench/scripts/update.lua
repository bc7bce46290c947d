-- wrk: PUT the display name of the existing clients bench-target-1..CLIENTS in turn, again and again, without If-Match.
local token = os.getenv("TOKEN")
local clients = tonumber(os.getenv("CLIENTS"))
local next = 0
local pick = function()
  next = next % clients + 1
  return "bench-target-" .. next
end
local counter = 0

request = function()
  counter = counter + 1
  local body = '{"displayName":"Bench client ' .. counter .. '"}'
  return wrk.format("PUT", "/api/v1/clientapplications/" .. pick(),
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
