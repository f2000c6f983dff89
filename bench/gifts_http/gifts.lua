-- wrk script: every request is a gift (POST /api/v1/rooms/1/gifts) with a request id of its own,
-- so the server applies each one (no replays). Viewers' tokens come from the file named by
-- $GIFTS_TOKENS (one token per line, as written by bench/run_economy.sh); requests cycle through
-- them. $GIFTS_RUN tags the request ids so several runs can share one data directory.
--
--   GIFTS_TOKENS=tokens.txt GIFTS_RUN=a wrk -t2 -c64 -d10s --latency -s gifts.lua http://127.0.0.1:PORT
--
-- done() prints one line "GIFTS {json}" with the figures bench/run_economy.sh records; answers
-- that are not {"code":0,...} are counted as failed (an insufficient-balance answer means the
-- grant was too small).

local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

-- Per-thread state; globals, so done() can read them with thread:get().
tokens = {}
counter = 0
failed = 0
first_failure = ""
local run = os.getenv("GIFTS_RUN") or "r"
local gift_id = os.getenv("GIFTS_GIFT_ID") or "3"
local room = os.getenv("GIFTS_ROOM") or "1"

function init(args)
    local path = os.getenv("GIFTS_TOKENS") or "tokens.txt"
    for line in io.lines(path) do
        if #line > 0 then
            table.insert(tokens, line)
        end
    end
    assert(#tokens > 0, "no tokens in " .. path)
    wrk.method = "POST"
    wrk.path = "/api/v1/rooms/" .. room .. "/gifts"
end

function request()
    counter = counter + 1
    local token = tokens[(counter + id) % #tokens + 1]
    local body = '{"gift_id":' .. gift_id .. ',"count":1,"request_id":"' .. run .. "-" .. id .. "-" .. counter .. '"}'
    return wrk.format(nil, nil, {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
    }, body)
end

function response(status, headers, body)
    if status ~= 200 or not string.find(body, '"code":0', 1, true) then
        failed = failed + 1
        if first_failure == "" then
            first_failure = status .. " " .. string.sub(body, 1, 120)
        end
    end
end

function done(summary, latency, requests)
    local total_failed = 0
    local failure = ""
    for _, thread in ipairs(threads) do
        total_failed = total_failed + thread:get("failed")
        if failure == "" then
            failure = thread:get("first_failure")
        end
    end
    local errors = summary.errors
    local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'GIFTS {"requests":%d,"seconds":%.3f,"rps":%.1f,"failed":%d,"socket_errors":%d,"status_errors":%d,' ..
        '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"first_failure":"%s"}\n',
        summary.requests, seconds, summary.requests / seconds, total_failed, socket_errors, errors.status,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, string.gsub(failure, '["\\]', "'")))
end
