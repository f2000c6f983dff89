#include "asset/asset_shelf.h"

#include <utility>

namespace barrage::asset {

void AssetShelf::put(std::string file_name, ServedAsset asset) {
    MutexLock lock(mutex_);
    assets_.insert_or_assign(std::move(file_name), std::move(asset));
}

std::optional<ServedAsset> AssetShelf::find(std::string_view file_name) const {
    MutexLock lock(mutex_);
    const auto found = assets_.find(file_name);
    if (found == assets_.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::size_t AssetShelf::size() const {
    MutexLock lock(mutex_);
    return assets_.size();
}

}  // namespace barrage::asset
