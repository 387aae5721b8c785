-- POST the sign-up of three with a new organisation, contact and three members each time.
-- Arguments: the form's shared fields (url-encoded), the CSRF cookie, a tag for this run.
dofile("report.lua")
local n = 0
redirects, others = 0, 0

function init(args)
  shared, tag = args[1], args[3]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = args[2]
end

function request()
  n = n + 1
  local key = tag .. "-" .. id .. "-" .. n
  local body = shared .. "&organisation_name=Bewonerscommissie+" .. key
    .. "&contact_email=c-" .. key .. "%40example.org"
  for m = 0, 2 do
    body = body .. "&members-" .. m .. "-name=Lid+" .. m .. "+" .. key
      .. "&members-" .. m .. "-email=lid" .. m .. "-" .. key .. "%40example.org"
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status)
  if status == 302 then redirects = redirects + 1 else others = others + 1 end
end
