#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "app/config.h"

namespace barrage::app {

// One scalar option of the TOML configuration: where it lives, what it holds, its bounds, its
// default (a default-constructed Config's value) and why it exists. The table of them,
// config_options(), drives the reading of every scalar section (unknown keys, kinds and bounds
// are refused by name), `barrage options`, and the test that config/barrage.example.toml states
// every option with its real default. The arrays of tables ([[room]], [[user]], [[gift]],
// [[custom_type]]) are read by hand in config.cpp.
struct ConfigOption {
    enum class Kind : std::uint8_t { integer, number, boolean, string, strings, choice };

    std::string_view section;
    std::string_view key;
    Kind kind = Kind::integer;
    double min = 0;  // integer and number: inclusive bounds (number: min exclusive when min_open)
    double max = 0;
    bool min_open = false;
    std::vector<std::string_view> choices;  // choice: the accepted spellings
    std::string_view why;
    // Stores a value already checked against kind, bounds and choices; an error message when
    // the option's own rule refuses it (a proxy that is not an IP address).
    std::function<std::optional<std::string>(Config&, const toml::node&)> store;
    // The option's value in `config` as TOML spells it.
    std::function<std::string(const Config&)> show;

    std::string name() const { return std::string(section) + "." + std::string(key); }
    // "integer in 0..65535", "true or false", "one of none, users, all": what a value must be.
    std::string expectation() const;
};

const std::vector<ConfigOption>& config_options();

// Reads `section` of the file through the table: refuses keys the table does not name, values
// of the wrong kind or out of bounds, each naming "section.key". Throws std::runtime_error.
void read_section(const toml::table& root, std::string_view section, Config& config);

// The sections the table covers, in the order of the example file.
std::vector<std::string_view> option_sections();

}  // namespace barrage::app
