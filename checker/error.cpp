#include "checker/error.h"

#include <fmt/format.h>

namespace dmcheck {

std::string Error::describe() const {
  if (!where) {
    return message;
  }
  if (where->line == 0) {
    return fmt::format("{}: {}", where->file, message);
  }
  if (where->column == 0) {
    return fmt::format("{}:{}: {}", where->file, where->line, message);
  }
  return fmt::format("{}:{}:{}: {}", where->file, where->line, where->column, message);
}

}  // namespace dmcheck
