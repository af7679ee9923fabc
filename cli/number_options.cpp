#include "cli/number_options.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

namespace dmcheck::cli {

namespace {

/// The value as given, quoted, shortened so a pasted blob does not flood the terminal.
std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 40;
  std::string shown(text.substr(0, kShown));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = '?';
    }
  }
  return fmt::format("'{}{}'", shown, text.size() > kShown ? "..." : "");
}

/// The value, or a failed command line with the message as it stands (a validator's message
/// would get the option's name as a prefix).
template <class T>
T checked(tl::expected<T, std::string> value) {
  if (!value) {
    throw CLI::ValidationError(value.error());
  }
  return *value;
}

}  // namespace

tl::expected<std::uint64_t, std::string> parse_whole_number(std::string_view flag,
                                                            std::string_view text,
                                                            std::uint64_t min, std::uint64_t max,
                                                            std::string_view unit) {
  const auto refusal = [&] {
    return tl::unexpected(fmt::format("{} must be a whole number{}{} from {} to {} (got {})", flag,
                                      unit.empty() ? "" : " of ", unit, min, max, quoted(text)));
  };
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return refusal();
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    return refusal();
  }
  return value;
}

tl::expected<double, std::string> parse_seconds(std::string_view flag, std::string_view text,
                                                std::optional<double> max) {
  double value = 0;
  const char* const last = text.data() + text.size();
  // Leading signs, spaces, "inf", "nan" and hexadecimal are refused: only digits, a point and
  // an exponent may appear.
  const bool plain = !text.empty() &&
                     text.find_first_not_of("0123456789.eE+-") == std::string_view::npos &&
                     (text.front() == '.' || (text.front() >= '0' && text.front() <= '9'));
  const auto [end, error] =
      plain ? std::from_chars(text.data(), last, value) : std::from_chars_result{nullptr, {}};
  if (!plain || error != std::errc{} || end != last || !std::isfinite(value) || value <= 0 ||
      (max && value > *max)) {
    return tl::unexpected(fmt::format("{} must be a positive number of seconds{} (got {})", flag,
                                      max ? fmt::format(", at most {}", *max) : "", quoted(text)));
  }
  return value;
}

CLI::Option* add_whole_number_option(CLI::App& command, const std::string& flag,
                                     std::optional<std::uint64_t>& target, std::uint64_t min,
                                     std::uint64_t max, const std::string& description,
                                     std::string_view unit) {
  const auto store = [&target, flag, min, max,
                      unit_name = std::string(unit)](const std::string& text) {
    target = checked(parse_whole_number(flag, text, min, max, unit_name));
  };
  return command.add_option_function<std::string>(flag, store, description)
      ->type_name(unit.empty() ? "N" : std::string(unit));
}

CLI::Option* add_whole_number_option(CLI::App& command, const std::string& flag,
                                     std::uint64_t& target, std::uint64_t min, std::uint64_t max,
                                     const std::string& description, std::string_view unit) {
  const auto store = [&target, flag, min, max,
                      unit_name = std::string(unit)](const std::string& text) {
    target = checked(parse_whole_number(flag, text, min, max, unit_name));
  };
  return command
      .add_option_function<std::string>(flag, store,
                                        fmt::format("{} (default: {})", description, target))
      ->type_name(unit.empty() ? "N" : std::string(unit));
}

CLI::Option* add_seconds_option(CLI::App& command, const std::string& flag,
                                std::optional<double>& target, const std::string& description) {
  const auto store = [&target, flag](const std::string& text) {
    target = checked(parse_seconds(flag, text));
  };
  return command.add_option_function<std::string>(flag, store, description)->type_name("SECONDS");
}

}  // namespace dmcheck::cli
