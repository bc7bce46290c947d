-- wrk: GET the existing clients bench-target-1..CLIENTS in turn.
local token = os.getenv("TOKEN")
local clients = tonumber(os.getenv("CLIENTS"))
local next = 0
local pick = function()
  next = next % clients + 1
  return "bench-target-" .. next
end

request = function()
  return wrk.format("GET", "/api/v1/clientapplications/" .. pick(), { ["Authorization"] = "Bearer " .. token })
end
