-- wrk script for scripts/loadtest: a mix of pages, search and API calls, counting every status.
local paths = {
  "/", "/partners/", "/partners/?country=XK", "/activities/", "/activities/?type=training",
  "/case-studies/", "/lessons/", "/approaches/", "/programmes/", "/countries/", "/sources/",
  "/search/?q=kosovo", "/search/?q=zene%20zenama", "/search/?q=women%20network",
  "/api/v1/partners/", "/api/v1/partners/?country=XK&brief=1", "/api/v1/activities/?page_size=100",
  "/api/v1/case-studies/", "/api/v1/lessons/", "/api/v1/partners/?q=women",
}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local all, bad, server_errors = {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      all[status] = (all[status] or 0) + count
      if status >= 400 then bad = bad + count end
      if status >= 500 then server_errors = server_errors + count end
    end
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write("statuses:")
  for status, count in pairs(all) do io.write(string.format(" %d=%d", status, count)) end
  io.write("\n")
  io.write(string.format("requests: %d in %.1f s (%.0f/s)\n", summary.requests, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("errors: %d socket errors, %d responses >= 400, %d 5xx\n", socket_errors, bad, server_errors))
  io.write(string.format("loadtest: %d passed, %d failed\n", summary.requests - bad - socket_errors, bad + socket_errors))
end
