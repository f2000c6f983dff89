#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/mutex.h"

namespace barrage::asset {

// One asset as `barrage serve` sends it: its media type and bytes, shared by every answer.
struct ServedAsset {
    std::string media_type{};
    std::shared_ptr<const std::string> bytes{};
};

// The asset library's files as served at /assets/<file name>, held in memory: the library is
// capped in count and bytes (store/gift_assets.h), so it fits, and an answer is then a lookup
// of the requested name among the names put here, never a path opened on disk: no request can
// reach any other file, whatever its dots, slashes or encodings.
//
// Safe from any thread: loops read it while the store pool adds what an admin uploads.
class AssetShelf {
public:
    void put(std::string file_name, ServedAsset asset);
    std::optional<ServedAsset> find(std::string_view file_name) const;
    std::size_t size() const;

private:
    mutable Mutex mutex_;
    std::map<std::string, ServedAsset, std::less<>> assets_ BARRAGE_GUARDED_BY(mutex_);
};

}  // namespace barrage::asset
