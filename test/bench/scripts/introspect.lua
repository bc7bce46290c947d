-- wrk: introspect the client id and secret of one existing client (CLIENT_ID, CLIENT_SECRET).
local token = os.getenv("TOKEN")
local body = '{"token":"' .. os.getenv("CLIENT_SECRET") .. '","token_type_hint":"client_secret","client_id":"' .. os.getenv("CLIENT_ID") .. '"}'

request = function()
  return wrk.format("POST", "/api/v1/credentials/introspect",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
