-- wrk script of the load benchmark: each wrk thread owns one connection and acts as one officer
-- (run wrk with -t equal to -c). bench/load/run.py writes the officers' session cookies, API
-- tokens and customer ids to the file named by AOAPP_MIX_DATA and starts wrk with:
--   AOAPP_THINK_MIN / AOAPP_THINK_MAX  think time before each request, ms (0: closed loop)
--   AOAPP_MIX                          "home" (default) or "issue": the weights below
-- done() prints one line "RESULT {json}": totals, latency percentiles (µs), errors, and per
-- request kind the count and the responses other than 200.

local data = dofile(os.getenv("AOAPP_MIX_DATA"))
local think_min = tonumber(os.getenv("AOAPP_THINK_MIN") or "0")
local think_max = tonumber(os.getenv("AOAPP_THINK_MAX") or "0")

-- Request kinds and their weights (a share of an officer's clicks in a day), by AOAPP_MIX:
-- "home" (default): the officer's day as the app now has it, the dashboard being the home page;
-- "issue": the pages issue 7 names for its target (agenda, customer page, portfolio, API lists).
local MIXES = {
  home = {
    {"agenda", 20},           -- the officer's agenda
    {"dashboard", 10},        -- the officer's home page (figures and charts: one computation)
    {"api_dashboard", 5},     -- the dashboard API, read by API clients
    {"customer", 20},         -- one of the officer's customers
    {"portfolio", 15},        -- the portfolio list with a filter
    {"api_customers", 10},    -- API lists, bearer token
    {"api_facilities", 10},
    {"api_followups", 10},
  },
  issue = {
    {"agenda", 25}, {"customer", 25}, {"portfolio", 15},
    {"api_customers", 10}, {"api_facilities", 15}, {"api_followups", 10},
  },
  -- "full": the officer's day with the relationship pages; one client in ten is a supervisor
  -- (run.py samples them) and follows SUPERVISOR below.
  full = {
    {"agenda", 15}, {"dashboard", 10}, {"api_dashboard", 5}, {"customer", 15},
    {"portfolio", 10}, {"api_customers", 5}, {"api_facilities", 5}, {"api_followups", 5},
    {"search", 10},           -- the search box: names, CIFs
    {"renewals", 8},          -- the renewal pipeline
    {"api_funding", 7},       -- funds (DPK) and relationship figures
    {"api_relationship", 5},
  },
}
-- A supervisor's clicks: the team dashboard (and its team table), the team agenda, renewals and
-- search over their branch.
local SUPERVISOR = {
  {"team_dashboard", 35}, {"team_agenda", 25}, {"renewals", 15}, {"search", 15},
  {"api_funding", 10},
}
local MIX = MIXES[os.getenv("AOAPP_MIX") or "home"]
local SEARCHES = {"siti", "budi", "sari", "wati", "PT", "agus", "dewi", "CV", "0000"}
local PORTFOLIO_FILTERS = {
  "kol=2", "kol=2&sort=-outstanding", "bucket=1_30", "bucket=31_60", "product=KUR",
  "sort=-dpd", "sort=customer&page=2", "restructured=true", "q=a",
}
local CUSTOMER_FILTERS = {"sort=name", "segment=micro", "sort=-since", "q=an", "page=2"}
local FACILITY_FILTERS = {"kol=2", "kol=2&sort=-outstanding", "bucket=1_30", "sort=-dpd",
                          "product=KMK", "watchlist=false&sort=maturity_date"}

local function weight(mix)
  local total = 0
  for _, kind in ipairs(mix) do total = total + kind[2] end
  return total
end

local threads = {}
local started = 0

function setup(thread)
  started = started + 1
  thread:set("index", started)
  table.insert(threads, thread)
end

function init(args)
  me = data.officers[((index - 1) % #data.officers) + 1]
  mine = (me.role == "supervisor") and SUPERVISOR or MIX
  total_weight = weight(mine)
  math.randomseed(index * 7919)
  counts, failed, last = {}, {}, nil
  html = {["Cookie"] = me.cookie, ["Accept"] = "text/html"}
  json = {["Authorization"] = "Bearer " .. me.token, ["Accept"] = "application/json"}
end

local function pick(list)
  return list[math.random(#list)]
end

local function path_of(kind)
  if kind == "agenda" then
    return "/agenda/", html
  elseif kind == "dashboard" then
    return "/dashboard/", html
  elseif kind == "api_dashboard" then
    return "/api/v1/dashboard/officer", json
  elseif kind == "customer" then
    return "/customers/" .. pick(me.customers), html
  elseif kind == "portfolio" then
    return "/portfolio/?" .. pick(PORTFOLIO_FILTERS), html
  elseif kind == "api_customers" then
    return "/api/v1/customers?per_page=50&" .. pick(CUSTOMER_FILTERS), json
  elseif kind == "api_facilities" then
    return "/api/v1/facilities?per_page=50&" .. pick(FACILITY_FILTERS), json
  elseif kind == "search" then
    return "/search?q=" .. pick(SEARCHES), html
  elseif kind == "renewals" then
    return "/renewals/", html
  elseif kind == "api_funding" then
    return "/api/v1/funding/summary", json
  elseif kind == "api_relationship" then
    return "/api/v1/relationship/summary", json
  elseif kind == "team_dashboard" then
    return "/dashboard/team", html
  elseif kind == "team_agenda" then
    return "/agenda/team", html
  end
  local filters = {
    "status=planned&planned_from=" .. data.week_ago .. "&planned_to=" .. data.week_ahead,
    "purpose=collection&sort=-planned_date", "status=done&sort=-done_at",
  }
  return "/api/v1/followups?per_page=50&" .. pick(filters), json
end

function request()
  local draw = math.random(total_weight)
  for _, kind in ipairs(mine) do
    draw = draw - kind[2]
    if draw <= 0 then
      last = kind[1]
      break
    end
  end
  local path, headers = path_of(last)
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  counts[last] = (counts[last] or 0) + 1
  if status ~= 200 then
    local key = last .. ":" .. status
    failed[key] = (failed[key] or 0) + 1
  end
end

if think_max > 0 then
  function delay()
    return math.random(think_min, think_max)
  end
end

local function to_json(value)
  if type(value) == "table" then
    local parts = {}
    for k, v in pairs(value) do
      table.insert(parts, string.format("%q:%s", tostring(k), to_json(v)))
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif type(value) == "number" then
    return string.format("%.17g", value)
  end
  return string.format("%q", tostring(value))
end

local function merge(into, from)
  for k, v in pairs(from or {}) do into[k] = (into[k] or 0) + v end
end

function done(summary, latency, requests)
  local kinds, failures = {}, {}
  for _, thread in ipairs(threads) do
    merge(kinds, thread:get("counts"))
    merge(failures, thread:get("failed"))
  end
  local result = {
    requests = summary.requests,
    duration_us = summary.duration,
    bytes = summary.bytes,
    errors = summary.errors,
    latency_us = {
      min = latency.min, mean = latency.mean, max = latency.max, stdev = latency.stdev,
      p50 = latency:percentile(50), p90 = latency:percentile(90),
      p95 = latency:percentile(95), p99 = latency:percentile(99),
    },
    kinds = kinds,
    failures = failures,
  }
  io.write("RESULT " .. to_json(result) .. "\n")
end
