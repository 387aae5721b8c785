-- POST the public sign-up form for three board members, with new addresses in every request.
--
-- Arguments (after `--`): the url-encoded fields every request shares (CSRF token, management
-- form, `started`, sessions, consent...), the Cookie header with the CSRF cookie, and a tag
-- unique to this run. Each request adds an organisation name, a contact address and three
-- member names and addresses built from the tag, the thread id and a counter, so no address
-- is ever refused as already signed up. A 302 (to the new sign-up's page) is a sign-up;
-- anything else, a refused form shown again with 200 included, is counted as unexpected.

dofile("wrk_report.lua")

local counter = 0
unexpected = 0
redirects = 0

function init(args)
  shared = args[1]
  tag = args[3]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = args[2]
end

function request()
  counter = counter + 1
  local key = tag .. "-" .. id .. "-" .. counter
  local body = shared
    .. "&organisation_name=Bewonerscommissie+" .. key
    .. "&contact_email=contact-" .. key .. "%40example.org"
  for n = 0, 2 do
    body = body
      .. "&members-" .. n .. "-name=Lid+" .. n .. "+" .. key
      .. "&members-" .. n .. "-email=lid" .. n .. "-" .. key .. "%40example.org"
  end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status == 302 then
    redirects = redirects + 1
  else
    unexpected = unexpected + 1
  end
end
