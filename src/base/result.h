#pragma once

#include <system_error>

#include <boost/system/result.hpp>

#include "base/errc.h"

namespace barrage {

// Errors as values at module edges. Asio's and our codes travel in one std::error_code.
template <class T>
using Result = boost::system::result<T, std::error_code>;

using Status = boost::system::result<void, std::error_code>;

}  // namespace barrage
