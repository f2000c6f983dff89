#pragma once

#include "ledger/account.h"
#include "ledger/coins.h"
#include "ledger/transfer_code.h"

namespace barrage::ledger {

// One movement of coins: `amount` leaves `debit` and enters `credit`. Double entry: every leg
// subtracts from one balance what it adds to another, so the sum of all balances never changes.
struct Leg {
    AccountId debit;
    AccountId credit;
    Coins amount = 0;  // coins, > 0 and <= kLegAmountMax
    TransferCode code = TransferCode::gift;
    bool operator==(const Leg&) const = default;
};

}  // namespace barrage::ledger
