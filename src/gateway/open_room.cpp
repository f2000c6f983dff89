#include "gateway/open_room.h"

#include <algorithm>

namespace barrage::gateway {

void OpenRoom::start(std::shared_ptr<const message::OpenAudience> audience, std::string game_id) {
    if (!audience_ || audience_->app_id != audience->app_id) {
        games_.clear();
    }
    audience_ = std::move(audience);
    if (std::find(games_.begin(), games_.end(), game_id) == games_.end()) {
        games_.push_back(std::move(game_id));
    }
}

bool OpenRoom::end(std::string_view game_id) {
    auto found = std::find(games_.begin(), games_.end(), game_id);
    if (found == games_.end()) {
        return false;
    }
    games_.erase(found);
    if (games_.empty()) {
        audience_.reset();
    }
    return true;
}

bool OpenRoom::live(std::string_view game_id, std::int64_t app_id) const {
    return audience_ && audience_->app_id == app_id && std::find(games_.begin(), games_.end(), game_id) != games_.end();
}

}  // namespace barrage::gateway
