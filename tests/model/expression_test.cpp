// The model's own guard on a scenario's properties, for configurations built without the
// scenario front end: no name may resolve to nothing, and no property may shadow the catalogue.

#include <doctest/doctest.h>

#include <string>

#include "model/config.h"
#include "scenarios/loader.h"

namespace model = dmcheck::model;
namespace scenarios = dmcheck::scenarios;

namespace {

/// A valid configuration with one property of its own: "sometimes a.exists".
model::Config with_property() {
  const auto s = scenarios::parse_scenario(R"toml(
variant = "6.1"

[[disks]]
name = "disk0"
size = 4

[[tables]]
name = "lin"
targets = [{ type = "linear", onto = "disk0", length = 4 }]

[[devices]]
name = "a"
table = "lin"

[[processes]]
name = "p"
steps = ["remove a"]

[[properties]]
name = "a-exists"
sometimes = "a.exists and a.live == lin"

[expect]
reachable = ["a-exists"]
)toml",
                                           "t.toml");
  REQUIRE_MESSAGE(s, (s ? std::string() : s.error().describe()));
  return s->config;
}

std::string refusal(const model::Config& c) {
  const auto ok = model::validate(c);
  REQUIRE_FALSE(ok);
  return ok.error().message;
}

}  // namespace

TEST_SUITE("model/expression") {
  TEST_CASE("a configuration's own properties are checked against its names") {
    CHECK(model::validate(with_property()));
    auto unknown_device = with_property();
    unknown_device.user_properties[0].expr.args[0].text = "b";  // a.exists -> b.exists
    CHECK(refusal(unknown_device) ==
          "property 'a-exists': no device of the scenario is called 'b'");
    auto unknown_table = with_property();
    unknown_table.user_properties[0].expr.args[1].args[1].text = "lni";
    CHECK(refusal(unknown_table) ==
          "property 'a-exists': no table of the scenario is called 'lni'");
    auto shadow = with_property();
    shadow.user_properties[0].name = "unique-names";
    CHECK(refusal(shadow) ==
          "property 'unique-names' is already one of the catalogue's; choose another name");
    auto twice = with_property();
    twice.user_properties.push_back(twice.user_properties[0]);
    CHECK(refusal(twice) == "property 'a-exists' is defined twice");
    auto deep = with_property();
    deep.user_properties[0].expr.var = 9;
    CHECK(refusal(deep) == "property 'a-exists': more than 8 nested quantifiers");
  }
}
