#include "economy/coins.h"

namespace barrage::economy {

namespace {

bool valid_rate(std::int64_t coins_per_yuan) {
    return coins_per_yuan >= 1 && coins_per_yuan <= kCoinsPerYuanMax;
}

}  // namespace

Result<Coins> yuan_to_coins(std::int64_t yuan, std::int64_t coins_per_yuan) {
    if (!valid_rate(coins_per_yuan) || yuan < 0 || yuan > kCoinsMax / coins_per_yuan) {
        return make_error_code(Errc::bad_amount);
    }
    return yuan * coins_per_yuan;
}

Result<std::int64_t> coins_to_yuan(Coins coins, std::int64_t coins_per_yuan) {
    if (!valid_rate(coins_per_yuan) || coins < 0 || coins > kCoinsMax || coins % coins_per_yuan != 0) {
        return make_error_code(Errc::bad_amount);
    }
    return coins / coins_per_yuan;
}

}  // namespace barrage::economy
