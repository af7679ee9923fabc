#include "conformance/target_reply.h"

#include <array>
#include <sstream>
#include <vector>

#include "model/target_status.h"

namespace dmcheck::conformance {

using nlohmann::json;

namespace {

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    words.push_back(word);
  }
  return words;
}

/// One target's status line, reduced: verity prints V or C; a thin-pool's third word is its
/// used/total data blocks; a thin's first word its mapped sectors, which are whole blocks
/// (one block is one unit); the other targets the model knows print nothing.
std::string reduced_status(const std::string& type, const std::string& line) {
  const std::vector<std::string> words = words_of(line);
  if (type == "verity" && words.size() == 1 && (words[0] == "V" || words[0] == "C")) {
    return words[0];
  }
  if (type == "thin-pool" && words.size() >= 3 && words[2].find('/') != std::string::npos) {
    return words[2];
  }
  if (type == "thin" && words.size() == 2 && !words[0].empty() &&
      words[0].find_first_not_of("0123456789") == std::string::npos &&
      std::stoull(words[0]) % kSectorsPerUnit == 0) {
    return std::to_string(std::stoull(words[0]) / kSectorsPerUnit);
  }
  if (type != "verity" && type != "thin-pool" && type != "thin" && words.empty()) {
    return "-";
  }
  return "[" + type + ": " + line + "]";
}

/// "TYPE UNITS", or "TYPE Ns" for a length that is no whole number of units.
std::string table_entry(const std::string& type, std::uint64_t sectors) {
  if (sectors % kSectorsPerUnit != 0) {
    return type + " " + std::to_string(sectors) + "s";
  }
  return type + " " + std::to_string(sectors / kSectorsPerUnit);
}

std::string joined(const std::vector<std::string>& entries, const char* separator) {
  std::string text;
  for (const std::string& e : entries) {
    text += (text.empty() ? "" : separator) + e;
  }
  return text.empty() ? "no targets" : text;
}

/// The table (Config index + 1) a query of the device called `name` reports in `s`, 0 none.
std::uint8_t queried_table(const model::DmModel& m, const model::State& s, const std::string& name,
                           bool inactive) {
  const auto slot = m.find_device(s, name);
  if (!slot) {
    return 0;
  }
  const model::Device& d = s.devices[*slot];
  return inactive ? d.inactive : d.live;
}

/// The definition of the table `table` stands for.
const model::TableDef* table_def(const model::DmModel& m, std::uint8_t table) {
  for (const model::TableDef& t : m.config().tables) {
    if (table != 0 && t.name == m.table_name(table)) {
      return &t;
    }
  }
  return nullptr;
}

}  // namespace

std::string kernel_targets_text(const json& observation, model::Op op) {
  std::vector<std::string> entries;
  for (const json& t : observation.value("targets", json::array())) {
    const std::string type = t.value("type", std::string());
    entries.push_back(op == model::Op::table
                          ? table_entry(type, t.value("length", std::uint64_t{0}))
                          : reduced_status(type, t.value("line", std::string())));
  }
  return joined(entries, op == model::Op::table ? ", " : " ");
}

std::string model_targets_text(const model::DmModel& m, const Fixtures& fixtures,
                               const model::State& after, const model::Call& call,
                               const model::Observation& obs) {
  if (call.op != model::Op::table) {
    return model::target_reply_text(obs);
  }
  // The types as the real kernel names them (the fixtures load a stand-in for some), the lengths
  // of the table the model says the query saw; a target the observation does not match shows.
  std::vector<std::string> entries;
  const std::uint8_t table = queried_table(m, after, call.device, call.inactive);
  const std::array codes{obs.data, obs.more[0], obs.more[1], obs.more[2]};
  if (const model::TableDef* def = table_def(m, table); def != nullptr) {
    const json lines = fixtures.targets(def->name);
    for (std::size_t i = 0; i < def->targets.size() && i < lines.size(); ++i) {
      std::string entry = table_entry(lines[i].value("type", std::string()),
                                      lines[i].value("length", std::uint64_t{0}));
      if (i >= codes.size() || codes[i] != model::table_code(def->targets[i].kind)) {
        entry += " (observed otherwise)";
      }
      entries.push_back(entry);
    }
  }
  return joined(entries, ", ");
}

}  // namespace dmcheck::conformance
