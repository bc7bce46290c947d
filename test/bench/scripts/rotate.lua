-- wrk: rotate the secret of the existing clients bench-target-1..CLIENTS in turn, with no grace period.
local token = os.getenv("TOKEN")
local clients = tonumber(os.getenv("CLIENTS"))
local next = 0
local pick = function()
  next = next % clients + 1
  return "bench-target-" .. next
end

request = function()
  return wrk.format("POST", "/api/v1/clientapplications/" .. pick() .. "/secret",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, '{"gracePeriodSeconds":0}')
end
