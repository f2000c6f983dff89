#include "store/gift_assets.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include <fmt/format.h>

#include "base/log.h"
#include "base/utf8.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "store/open_audit.h"
#include "store/transaction.h"

namespace barrage::store {

namespace {

constexpr std::string_view kSelectAsset =
    "SELECT asset_id, sha256, name, type, bytes, width, height, uploaded_by, created_ms FROM gift_assets ";

GiftAsset asset_of_row(const Database::Statement& statement) {
    GiftAsset asset;
    asset.asset_id = statement.column_int(0);
    asset.sha256 = statement.column_text(1);
    asset.name = statement.column_text(2);
    asset.type = asset::type_of_extension(statement.column_text(3)).value_or(asset::ImageType::png);
    asset.bytes = statement.column_int(4);
    asset.width = static_cast<std::uint32_t>(statement.column_int(5));
    asset.height = static_cast<std::uint32_t>(statement.column_int(6));
    asset.uploaded_by = UserId{static_cast<std::uint64_t>(statement.column_int(7))};
    asset.created_ms = statement.column_int(8);
    return asset;
}

// Writes `bytes` to `path` through a temporary file renamed into place, so a reader (or a
// crash) never sees half a file under an asset's name.
Status write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
        return error;
    }
    auto temporary = path;
    temporary += ".tmp-" + crypto::random_string("0123456789abcdef", 8);
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::filesystem::remove(temporary, error);
            return make_error_code(Errc::internal);
        }
    }
    std::filesystem::rename(temporary, path, error);
    if (error) {
        std::filesystem::remove(temporary, error);
        return make_error_code(Errc::internal);
    }
    return {};
}

// The library's count and bytes now.
struct Totals {
    std::int64_t count = 0;
    std::int64_t bytes = 0;
};

Result<Totals> totals(Database& database) {
    Database::Statement select(database, "SELECT COUNT(*), COALESCE(SUM(bytes), 0) FROM gift_assets");
    auto row = select.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    return Totals{select.column_int(0), select.column_int(1)};
}

}  // namespace

std::string GiftAsset::file_name() const {
    return fmt::format("{}.{}", sha256, asset::extension(type));
}

std::string GiftAsset::url() const {
    return "/assets/" + file_name();
}

Result<AddedAsset> GiftAssets::add(const NewAsset& upload) {
    if (upload.name.empty() || upload.name.size() > kAssetNameBytesMax || !utf8_code_points(upload.name)) {
        return make_error_code(Errc::bad_request);
    }
    if (upload.bytes.size() > kAssetBytesMax) {
        return make_error_code(Errc::asset_too_large);
    }
    auto header = asset::read_image_header(upload.bytes);
    if (!header) {
        return header.error();
    }
    if (header->width > kAssetSideMax || header->height > kAssetSideMax) {
        return make_error_code(Errc::asset_too_wide);
    }
    GiftAsset asset{.asset_id = 0,
                    .sha256 = crypto::sha256_hex(upload.bytes),
                    .name = upload.name,
                    .type = header->type,
                    .bytes = static_cast<std::int64_t>(upload.bytes.size()),
                    .width = header->width,
                    .height = header->height,
                    .uploaded_by = upload.actor,
                    .created_ms = clock_.wall_ms()};
    Transaction transaction(database_);
    if (auto begun = transaction.begin(); !begun) {
        return begun.error();
    }
    {
        Database::Statement same(database_, std::string(kSelectAsset) + "WHERE sha256 = ?");
        same.bind(1, asset.sha256);
        auto row = same.step();
        if (!row) {
            return row.error();
        }
        if (*row) {
            return AddedAsset{.asset = asset_of_row(same), .created = false};
        }
    }
    auto now = totals(database_);
    if (!now) {
        return now.error();
    }
    if (now->count >= static_cast<std::int64_t>(kAssetsMax) ||
        now->bytes + asset.bytes > static_cast<std::int64_t>(kAssetLibraryBytesMax)) {
        return make_error_code(Errc::assets_limit);
    }
    // The file first: a row never names a file that is not there. A file without a row (a
    // failed insert) is harmless: nothing serves or lists it, and the next upload of the same
    // bytes writes it again.
    if (auto written = write_file(directory_ / asset.file_name(), upload.bytes); !written) {
        log::error("asset library: cannot write {}: {}", (directory_ / asset.file_name()).string(),
                   written.error().message());
        return make_error_code(Errc::internal);
    }
    Database::Statement insert(database_,
                               "INSERT INTO gift_assets (sha256, name, type, bytes, width, height, uploaded_by, "
                               "created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING asset_id");
    insert.bind(1, asset.sha256)
        .bind(2, asset.name)
        .bind(3, asset::extension(asset.type))
        .bind(4, asset.bytes)
        .bind(5, static_cast<std::int64_t>(asset.width))
        .bind(6, static_cast<std::int64_t>(asset.height))
        .bind(7, static_cast<std::int64_t>(asset.uploaded_by.value))
        .bind(8, asset.created_ms);
    auto row = insert.step();
    if (!row) {
        return row.error();
    }
    if (!*row) {
        return make_error_code(Errc::internal);
    }
    asset.asset_id = insert.column_int(0);
    insert.reset();
    auto audited =
        OpenAudit(database_, clock_)
            .write({.actor = upload.actor,
                    .action = std::string(audit_action::asset_uploaded),
                    .detail = fmt::format("asset {} ({}): {}", asset.asset_id, asset.file_name(), asset.name)});
    if (!audited) {
        return audited.error();
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return AddedAsset{.asset = std::move(asset), .created = true};
}

std::optional<GiftAsset> GiftAssets::find(std::int64_t asset_id) {
    Database::Statement select(database_, std::string(kSelectAsset) + "WHERE asset_id = ?");
    select.bind(1, asset_id);
    auto row = select.step();
    if (!row || !*row) {
        return std::nullopt;
    }
    return asset_of_row(select);
}

Result<std::vector<GiftAsset>> GiftAssets::list() {
    Database::Statement select(database_, std::string(kSelectAsset) + "ORDER BY asset_id");
    std::vector<GiftAsset> assets;
    auto read = select.each_row([&] {
        assets.push_back(asset_of_row(select));
        return true;
    });
    if (!read) {
        return read.error();
    }
    return assets;
}

Result<std::string> GiftAssets::read(const GiftAsset& asset) const {
    std::ifstream in(directory_ / asset.file_name(), std::ios::binary);
    if (!in) {
        return make_error_code(Errc::internal);
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() > kAssetBytesMax || crypto::sha256_hex(bytes) != asset.sha256) {
        return make_error_code(Errc::internal);
    }
    return bytes;
}

}  // namespace barrage::store
