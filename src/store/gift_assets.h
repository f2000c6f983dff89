#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "asset/image_header.h"
#include "base/clock.h"
#include "base/ids.h"
#include "base/result.h"
#include "store/database.h"

namespace barrage::store {

// The asset library's limits (docs/security.md, "Asset library"). A gift's icon is shown at a
// few dozen pixels and its effect at most full-screen on a phone: 1024 × 1024 and 512 KiB are
// plenty, and bound what one upload costs to store, hash and hold in memory.
inline constexpr std::size_t kAssetBytesMax = 512 * 1024;
inline constexpr std::uint32_t kAssetSideMax = 1024;
// Assets in the library, and their bytes together: every asset is held in memory to be served
// (asset/asset_shelf.h), so 64 MiB is the most the library can cost. 500 gifts' art is far more
// than any site needs; the operator adds, never removes, so a cap on count is a cap for life.
inline constexpr std::size_t kAssetsMax = 500;
inline constexpr std::size_t kAssetLibraryBytesMax = 64 * 1024 * 1024;
// An asset's name: shown to developers picking art, like a gift's name (economy's 64).
inline constexpr std::size_t kAssetNameBytesMax = 64;

struct GiftAsset {
    std::int64_t asset_id = 0;
    std::string sha256{};  // lowercase hex of the bytes: the file's name and the URL's
    std::string name{};
    asset::ImageType type = asset::ImageType::png;
    std::int64_t bytes = 0;
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    UserId uploaded_by{};
    Millis created_ms = 0;

    // "<sha256>.<ext>": the file under the library's directory, and the URL under /assets/.
    std::string file_name() const;
    // "/assets/<sha256>.<ext>": stable for as long as the server keeps its data directory.
    std::string url() const;
};

// An upload: an image and the name it is listed under.
struct NewAsset {
    std::string name{};
    std::string bytes{};
    UserId actor{};
};

// What an upload did: the asset, and whether these bytes were new (the same bytes uploaded
// twice are one asset, the first upload's).
struct AddedAsset {
    GiftAsset asset;
    bool created = false;
};

// The asset library: image files named by their SHA-256 in one directory, their metadata in
// the gift_assets table, an audit row for each upload. Blocking; the store pool or start-up only.
class GiftAssets {
public:
    GiftAssets(Database& database, const Clock& clock, std::filesystem::path directory)
        : database_(database), clock_(clock), directory_(std::move(directory)) {}

    // Checks and stores an upload: Errc::bad_request for a name that is empty, too long or not
    // UTF-8; Errc::asset_too_large past kAssetBytesMax; read_image_header's errors;
    // Errc::asset_too_wide for a side over kAssetSideMax; Errc::assets_limit past kAssetsMax or
    // kAssetLibraryBytesMax. The file is written (then renamed into place) before its row.
    Result<AddedAsset> add(const NewAsset& upload);
    std::optional<GiftAsset> find(std::int64_t asset_id);
    // Every asset, oldest first (at most kAssetsMax).
    Result<std::vector<GiftAsset>> list();
    // The asset's bytes from its file: Errc::internal when the file is missing or its content
    // no longer has the asset's hash (so a changed file is never served under an old name).
    Result<std::string> read(const GiftAsset& asset) const;

    const std::filesystem::path& directory() const { return directory_; }

private:
    Database& database_;
    const Clock& clock_;
    std::filesystem::path directory_;
};

}  // namespace barrage::store
