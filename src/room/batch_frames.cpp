#include "room/batch_frames.h"

#include <utility>

#include "message/priority.h"

namespace barrage::room {

BatchFrames::BatchFrames(std::vector<message::MessagePtr> messages, FrameSet full, std::vector<std::uint8_t> levels,
                         std::shared_ptr<const message::OpenAudience> open, std::uint8_t budget_level)
    : messages_(std::move(messages)),
      full_(std::move(full)),
      levels_(std::move(levels)),
      open_(std::move(open)),
      budget_level_(budget_level) {
    for (std::size_t i = 0; i < messages_.size(); ++i) {
        if (levels_[i] == kTopLevel) {
            continue;
        }
        const auto priority = message::priority_of(messages_[i]->body);
        for (std::size_t level = levels_[i] + 1U; level < kShedLevels; ++level) {
            ++(priority == message::Priority::low ? shed_[level].coalesced : shed_[level].sampled);
        }
        if (priority == message::Priority::normal) {
            sampled_by_user_[messages_[i]->sender.uid.value].push_back(static_cast<std::uint32_t>(i));
        }
    }
}

FramePtr BatchFrames::frame(std::size_t level, EncodingKey key) const {
    if (level == 0 || !full_[key.index()]) {
        return full_[key.index()];
    }
    std::lock_guard lock(mutex_);
    auto& done = encoded_[level][key.index()];
    if (!done) {
        std::vector<message::MessagePtr> kept;
        kept.reserve(messages_.size());
        for (std::size_t i = 0; i < messages_.size(); ++i) {
            if (levels_[i] >= level) {
                kept.push_back(messages_[i]);
            }
        }
        leveled_[level][key.index()] = kept.empty() ? nullptr : encode_for_key(kept, key, open_.get());
        done = true;
    }
    return leveled_[level][key.index()];
}

FramePtr BatchFrames::own(std::size_t level, UserId user, EncodingKey key) const {
    if (level == 0 || user.value == 0) {
        return nullptr;
    }
    const auto found = sampled_by_user_.find(user.value);
    if (found == sampled_by_user_.end()) {
        return nullptr;
    }
    std::vector<message::MessagePtr> left_out;
    for (const auto index : found->second) {
        if (levels_[index] < level) {
            left_out.push_back(messages_[index]);
        }
    }
    return left_out.empty() ? nullptr : encode_for_key(left_out, key, open_.get());
}

}  // namespace barrage::room
