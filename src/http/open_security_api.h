#pragma once

#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "http/router.h"
#include "net/listeners.h"
#include "open/abuse_guard.h"

namespace barrage::http {

// The open platform's security centre for operators: GET /api/v1/admin/open/bans lists every
// running ban (kind, key — an app's access key id, an address, or an identity code's first four
// characters only — level, since, until, reason) and DELETE /api/v1/admin/open/bans/{id} lifts
// one (logged with the admin's uid). Both admin only. Also the guard's counters as Prometheus
// text for /metrics.
//
// Thread rule: safe from any loop (the guard is).
class OpenSecurityApi {
public:
    explicit OpenSecurityApi(open::AbuseGuard& guard) : guard_(guard) {}

    std::vector<Route> routes();
    // Appends barrage_open_refused_total{kind,cause}, barrage_open_bans_issued_total{kind} and
    // barrage_open_bans_active{kind}.
    void append_metrics(std::string& out) const;

private:
    boost::asio::awaitable<net::HttpResponse> list(const Call& call);
    boost::asio::awaitable<net::HttpResponse> lift(const Call& call);

    open::AbuseGuard& guard_;
};

}  // namespace barrage::http
