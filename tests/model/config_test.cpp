// Validation of a configuration names the part each error is about (section, entry, target or
// step, field), so a caller that knows where each part was written places the error there.

#include "model/config.h"

#include <optional>
#include <string>

#include "model/state.h"
#include "tests/model/fixtures.h"

namespace dmcheck::model::testing {
namespace {

using Section = ConfigPart::Section;

/// What check_config says of `config`, which must be invalid; validate must say the same.
Invalid invalid(const Config& config) {
  auto checked = check_config(config);
  REQUIRE_FALSE(checked.has_value());
  auto validated = validate(config);
  REQUIRE_FALSE(validated.has_value());
  CHECK(validated.error().message == checked.error().error.message);
  CHECK(checked.error().error.kind == ErrorKind::bad_input);
  return checked.error();
}

/// Checks that `config` is refused for `part`, with a message containing `fragment`.
void check_part(const Config& config, Section section, std::size_t index,
                std::optional<std::size_t> item, std::string_view field,
                std::string_view fragment) {
  const Invalid e = invalid(config);
  INFO(e.error.message);
  CHECK(e.part.section == section);
  CHECK(e.part.index == index);
  CHECK(e.part.item == item);
  CHECK(e.part.field == field);
  CHECK(e.error.message.find(fragment) != std::string::npos);
}

DeviceSpec device(std::string name, std::string table = "") {
  return {std::move(name), "", std::move(table), false, 0, 0, "", false};
}

}  // namespace

TEST_SUITE("model/config") {
  TEST_CASE("a valid configuration passes both checks") {
    CHECK(check_config(base_config()));
    CHECK(validate(base_config()));
  }

  TEST_CASE("entries: a duplicate is its second occurrence, a field its own member") {
    Config c = base_config();
    c.devices = {device("a"), device("b"), device("a")};
    check_part(c, Section::devices, 2, std::nullopt, "name", "device 'a' is defined twice");

    c.devices = {device("a"), device("b", "nosuch")};
    check_part(c, Section::devices, 1, std::nullopt, "table", "unknown table 'nosuch'");

    c.devices = {device("a"), device("b")};
    c.devices[1].open_limit = 1;
    check_part(c, Section::devices, 1, std::nullopt, "open_limit", "an open limit needs");

    c = base_config();
    c.disks.push_back({"disk0", 4});
    check_part(c, Section::disks, 2, std::nullopt, "name", "disk 'disk0' is defined twice");

    c = base_config();
    c.tables.push_back({"zero", {of_kind(TargetKind::zero)}});
    check_part(c, Section::tables, c.tables.size() - 1, std::nullopt, "name",
               "table 'zero' is defined twice");
  }

  TEST_CASE("an internal suspender does not move an error from its own part") {
    Config c = base_config();
    c.actors.internal_suspender = "a";
    c.devices = {device("a"), device("b")};
    c.devices[1].open_limit = 1;
    check_part(c, Section::devices, 1, std::nullopt, "open_limit", "an open limit needs");

    c.devices[1].open_limit = 0;
    c.actors.internal_suspender = "nosuch";
    check_part(c, Section::actors, 0, std::nullopt, "internal_suspender", "names no device");
    c.actors.internal_suspender = "a";
    c.actors.internal_suspend_rounds = 4;
    check_part(c, Section::actors, 0, std::nullopt, "internal_suspend_rounds", "1 to 3 rounds");
  }

  TEST_CASE("counts past a bound name the first entry past it") {
    Config c = base_config();
    c.processes = std::vector<ProcessSpec>(kMaxProcesses + 1, process("p", {"info a"}));
    check_part(c, Section::processes, kMaxProcesses, std::nullopt, "", "too many processes");

    c = base_config();
    c.devices = {device("a"), device("b"), device("c"), device("d"), device("e"),
                 device("f"), device("g"), device("h"), device("i")};
    check_part(c, Section::devices, kMaxDevices, std::nullopt, "", "too many devices");

    c = base_config();
    c.processes = {process("p", {"info a"}),
                   process("q", std::vector<std::string>(kMaxProgramSteps + 1, "info a"))};
    check_part(c, Section::processes, 1, kMaxProgramSteps, "", "program too long");

    c = base_config();
    c.tables.push_back({"five", std::vector<Target>(kMaxTargets + 1, of_kind(TargetKind::zero))});
    check_part(c, Section::tables, c.tables.size() - 1, kMaxTargets, "", "1 to 4 targets");

    c = base_config();  // names a, b, c: the 29th extra name is the 32nd distinct one
    for (int i = 0; i < 29; ++i) {
      c.extra_names.push_back("n" + std::to_string(i));
    }
    check_part(c, Section::extra_names, 3 + 28, std::nullopt, "", "too many distinct");
  }

  TEST_CASE("targets and steps name their table's target and their process's step") {
    Config c = base_config();
    c.tables.push_back({"stack", {linear("disk0"), of_kind(TargetKind::verity, "a")}});
    check_part(c, Section::tables, c.tables.size() - 1, 1, "onto", "only linear and thin may sit");

    c = base_config();
    c.tables.push_back({"two", {linear("a"), of_kind(TargetKind::zero), linear("b")}});
    check_part(c, Section::tables, c.tables.size() - 1, 2, "onto", "at most one target");

    c = base_config();
    c.tables.push_back({"v0", {verity(0, false)}});
    check_part(c, Section::tables, c.tables.size() - 1, 0, "root_hash", "root hash id");

    c = base_config();
    c.processes = {process("p", {"info a"}),
                   process("q", {"info a", "open a", "remove a --deferred --no-open"})};
    check_part(c, Section::processes, 1, 2, "", "--no-open needs the no-open-flag patch");

    c.processes = {process("p", {"info a", "create b/c --notable"})};
    check_part(c, Section::processes, 0, 1, "", "contains '/'");
  }

  TEST_CASE("properties are named by their index") {
    Config c = base_config();
    c.properties = {"unique-names", "no-such-property"};
    check_part(c, Section::properties, 1, std::nullopt, "", "unknown property 'no-such-property'");
  }
}

}  // namespace dmcheck::model::testing
