#include "loadgen/bench_report.h"

#include <cstdio>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace barrage::loadgen {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

void line(std::ostream& out, const char* name, const std::string& value) {
    char padded[40];
    std::snprintf(padded, sizeof padded, "  %-32s", name);
    out << padded << value << '\n';
}

std::string number(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string mebibytes(std::uint64_t bytes) {
    return number(static_cast<double>(bytes) / kMiB, 1) + " MiB";
}

void print_connections(std::ostream& out, const BenchReport& report) {
    line(out, "connections ready/requested",
         std::to_string(report.connections_ready) + " / " + std::to_string(report.connections_requested) + " in " +
             number(report.connect_seconds, 1) + " s");
    line(out, "connections failed / lost",
         std::to_string(report.connections_failed) + " / " + std::to_string(report.connections_lost));
    for (const auto& [reason, count] : report.connect_failures) {
        line(out, "  failure", std::to_string(count) + " x " + reason);
    }
    for (const auto& [reason, count] : report.lost_reasons) {
        line(out, "  lost", std::to_string(count) + " x " + reason);
    }
}

void print_deliveries(std::ostream& out, const BenchReport& report) {
    line(out, "published",
         std::to_string(report.published) + " (" + number(report.publish_rate_per_s, 0) + " msg/s achieved)");
    if (report.publish_rejected != 0) {
        line(out, "publishes rejected", std::to_string(report.publish_rejected) + ", first: " + report.first_rejection);
    }
    if (!report.publisher_failure.empty()) {
        line(out, "publisher failure", report.publisher_failure);
    }
    line(out, "deliveries expected/received",
         std::to_string(report.deliveries_expected) + " / " + std::to_string(report.deliveries_received));
    if (report.deliveries_duplicated != 0) {
        line(out, "deliveries duplicated", std::to_string(report.deliveries_duplicated));
    }
    line(out, "deliveries/s", number(report.deliveries_per_s, 0));
    line(out, "loss", number(report.loss_percent, 3) + " %");
    line(out, "latency p50/p99/p99.9/max",
         number(report.latency_p50_ms, 2) + " / " + number(report.latency_p99_ms, 2) + " / " +
             number(report.latency_p999_ms, 2) + " / " + number(report.latency_max_ms, 2) + " ms");
}

void print_http(std::ostream& out, const HttpPublishReport& http) {
    line(out, "http publishers x pipeline", std::to_string(http.publishers) + " x " + std::to_string(http.pipeline));
    line(out, "http answered (unanswered)",
         std::to_string(http.answered) + " (" + std::to_string(http.unanswered) + "), " +
             number(http.answered_per_s, 0) + " /s");
    line(out, "http answer p50/p99/max",
         number(http.answer_p50_ms, 2) + " / " + number(http.answer_p99_ms, 2) + " / " + number(http.answer_max_ms, 2) +
             " ms");
    for (const auto& [status, count] : http.error_statuses) {
        line(out, "  http status", std::to_string(status) + ": " + std::to_string(count) + " answers");
    }
}

void print_gifts(std::ostream& out, const GiftReport& gifts) {
    line(out, "gifts sent/answered/accepted",
         std::to_string(gifts.sent) + " / " + std::to_string(gifts.answered) + " / " + std::to_string(gifts.accepted) +
             " (one message in " + std::to_string(gifts.every) + ")");
    line(out, "gift deliveries exp./received",
         std::to_string(gifts.deliveries_expected) + " / " + std::to_string(gifts.deliveries_received) + " (" +
             number(gifts.delivered_percent, 3) + " %)");
    if (gifts.deliveries_duplicated != 0) {
        line(out, "gift deliveries duplicated", std::to_string(gifts.deliveries_duplicated));
    }
    line(out, "gift latency p50/p99/max",
         number(gifts.latency_p50_ms, 2) + " / " + number(gifts.latency_p99_ms, 2) + " / " +
             number(gifts.latency_max_ms, 2) + " ms");
    line(out, "gift answer p99", number(gifts.answer_p99_ms, 2) + " ms");
}

boost::json::object gifts_json(const GiftReport& gifts) {
    return {
        {"every", gifts.every},
        {"sent", gifts.sent},
        {"answered", gifts.answered},
        {"accepted", gifts.accepted},
        {"deliveries_expected", gifts.deliveries_expected},
        {"deliveries_received", gifts.deliveries_received},
        {"deliveries_duplicated", gifts.deliveries_duplicated},
        {"delivered_percent", gifts.delivered_percent},
        {"latency_p50_ms", gifts.latency_p50_ms},
        {"latency_p99_ms", gifts.latency_p99_ms},
        {"latency_max_ms", gifts.latency_max_ms},
        {"answer_p99_ms", gifts.answer_p99_ms},
    };
}

void print_class(std::ostream& out, const char* name, const SubscriberClassReport& subscribers) {
    line(out, name,
         std::to_string(subscribers.subscribers) + " subscribers, " + std::to_string(subscribers.received) +
             " received, " + std::to_string(subscribers.gifts_received) + " gifts, " +
             std::to_string(subscribers.closed) + " closed, p50/p99/max " + number(subscribers.latency_p50_ms, 2) +
             " / " + number(subscribers.latency_p99_ms, 2) + " / " + number(subscribers.latency_max_ms, 2) + " ms");
}

boost::json::object class_json(const SubscriberClassReport& subscribers) {
    return {
        {"subscribers", subscribers.subscribers},       {"received", subscribers.received},
        {"gifts_received", subscribers.gifts_received}, {"closed", subscribers.closed},
        {"latency_p50_ms", subscribers.latency_p50_ms}, {"latency_p99_ms", subscribers.latency_p99_ms},
        {"latency_max_ms", subscribers.latency_max_ms},
    };
}

boost::json::object http_json(const HttpPublishReport& http) {
    boost::json::object errors;
    for (const auto& [status, count] : http.error_statuses) {
        errors[std::to_string(status)] = count;
    }
    return {
        {"publishers", http.publishers},
        {"pipeline", http.pipeline},
        {"answered", http.answered},
        {"unanswered", http.unanswered},
        {"answered_per_s", http.answered_per_s},
        {"answer_p50_ms", http.answer_p50_ms},
        {"answer_p99_ms", http.answer_p99_ms},
        {"answer_max_ms", http.answer_max_ms},
        {"error_statuses", std::move(errors)},
    };
}

void print_server(std::ostream& out, const BenchReport& report) {
    if (report.server_cpu_seconds) {
        line(out, "server CPU", number(*report.server_cpu_seconds, 2) + " s");
    }
    if (report.server_cpu_s_per_million) {
        line(out, "server CPU per 1M deliveries", number(*report.server_cpu_s_per_million, 3) + " s");
    }
    if (report.server_rss_before_bytes && report.server_rss_connected_bytes && report.server_rss_end_bytes) {
        line(out, "server RSS before/connected/end",
             mebibytes(*report.server_rss_before_bytes) + " / " + mebibytes(*report.server_rss_connected_bytes) +
                 " / " + mebibytes(*report.server_rss_end_bytes));
    }
    if (report.server_rss_per_connection_bytes) {
        line(out, "server RSS per connection", number(*report.server_rss_per_connection_bytes / 1024.0, 2) + " KiB");
    }
    if (report.loadgen_cpu_seconds) {
        line(out, "load generator CPU", number(*report.loadgen_cpu_seconds, 2) + " s");
    }
    if (report.loadgen_cpu_s_per_million) {
        line(out, "load generator CPU per 1M", number(*report.loadgen_cpu_s_per_million, 3) + " s");
    }
}

template <class T>
void put_optional(boost::json::object& object, const char* name, const std::optional<T>& value) {
    if (value) {
        object[name] = *value;
    }
}

}  // namespace

void print_table(std::ostream& out, const BenchReport& report) {
    out << "bench " << report.target << " (" << report.transport << ", protover " << report.protover << "): ";
    if (report.idle) {
        out << report.connections_requested << " idle connections for " << report.duration_s << " s\n";
    } else {
        out << report.connections_requested << " subscribers, " << report.rate_per_s << " msg/s x " << report.size_bytes
            << " B for " << report.duration_s << " s\n";
    }
    print_connections(out, report);
    if (!report.idle) {
        print_deliveries(out, report);
    }
    if (report.http) {
        print_http(out, *report.http);
    }
    if (report.gifts) {
        print_gifts(out, *report.gifts);
    }
    if (report.slow && report.fast) {
        line(out, "read rate (slow share)",
             number(report.read_rate_bytes_per_s, 0) + " B/s (" + number(report.slow_fraction, 2) + "), window " +
                 std::to_string(report.slow_window_bytes) + " B");
        print_class(out, "slow readers", *report.slow);
        print_class(out, "fast readers", *report.fast);
    }
    print_server(out, report);
}

std::string to_json_line(const BenchReport& report) {
    boost::json::object object{
        {"target", report.target},
        {"transport", report.transport},
        {"protover", report.protover},
        {"idle", report.idle},
        {"rate_per_s", report.rate_per_s},
        {"size_bytes", report.size_bytes},
        {"duration_s", report.duration_s},
        {"connections_requested", report.connections_requested},
        {"connections_ready", report.connections_ready},
        {"connections_failed", report.connections_failed},
        {"connections_lost", report.connections_lost},
        {"connect_seconds", report.connect_seconds},
        {"published", report.published},
        {"publish_rate_per_s", report.publish_rate_per_s},
        {"publish_rejected", report.publish_rejected},
        {"subscribers_measured", report.subscribers_measured},
        {"deliveries_expected", report.deliveries_expected},
        {"deliveries_received", report.deliveries_received},
        {"deliveries_duplicated", report.deliveries_duplicated},
        {"deliveries_per_s", report.deliveries_per_s},
        {"loss_percent", report.loss_percent},
        {"latency_p50_ms", report.latency_p50_ms},
        {"latency_p99_ms", report.latency_p99_ms},
        {"latency_p999_ms", report.latency_p999_ms},
        {"latency_max_ms", report.latency_max_ms},
    };
    put_optional(object, "server_cpu_seconds", report.server_cpu_seconds);
    put_optional(object, "server_cpu_s_per_million", report.server_cpu_s_per_million);
    put_optional(object, "server_rss_before_bytes", report.server_rss_before_bytes);
    put_optional(object, "server_rss_connected_bytes", report.server_rss_connected_bytes);
    put_optional(object, "server_rss_end_bytes", report.server_rss_end_bytes);
    put_optional(object, "server_rss_per_connection_bytes", report.server_rss_per_connection_bytes);
    put_optional(object, "loadgen_cpu_seconds", report.loadgen_cpu_seconds);
    put_optional(object, "loadgen_cpu_s_per_million", report.loadgen_cpu_s_per_million);
    boost::json::object lost;
    for (const auto& [reason, count] : report.lost_reasons) {
        lost[reason] = count;
    }
    object["lost_reasons"] = std::move(lost);
    if (!report.publisher_failure.empty()) {
        object["publisher_failure"] = report.publisher_failure;
    }
    object["publish_via"] = report.publish_via;
    if (report.http) {
        object["http"] = http_json(*report.http);
    }
    if (report.gifts) {
        object["gifts"] = gifts_json(*report.gifts);
    }
    if (report.slow && report.fast) {
        object["read_rate_bytes_per_s"] = report.read_rate_bytes_per_s;
        object["slow_fraction"] = report.slow_fraction;
        object["slow_window_bytes"] = report.slow_window_bytes;
        object["slow"] = class_json(*report.slow);
        object["fast"] = class_json(*report.fast);
    }
    return boost::json::serialize(object);
}

}  // namespace barrage::loadgen
