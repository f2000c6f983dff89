#include "store/uid_list.h"

#include <charconv>
#include <cstdint>

namespace barrage::store {

std::string join_uids(const std::vector<UserId>& uids) {
    std::string out;
    for (auto uid : uids) {
        if (!out.empty()) {
            out += ',';
        }
        out += std::to_string(uid.value);
    }
    return out;
}

std::vector<UserId> split_uids(std::string_view text) {
    std::vector<UserId> out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto part = text.substr(0, comma);
        std::uint64_t value = 0;
        if (std::from_chars(part.data(), part.data() + part.size(), value).ec == std::errc{}) {
            out.push_back(UserId{value});
        }
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    }
    return out;
}

}  // namespace barrage::store
