// The property language: scenario files with their own properties, checked by the model, and
// every mistake reported where it is written.

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/loader.h"
#include "scenarios/property_syntax.h"
#include "scenarios/run.h"

#ifndef DMCHECK_SOURCE_DIR
#error "DMCHECK_SOURCE_DIR must name the source tree"
#endif

namespace scenarios = dmcheck::scenarios;
using dmcheck::checker::Verdict;

namespace {

// 22 lines; a property appended after it starts on line 23.
constexpr const char* kBase = R"(description = "a reader opens a while another process removes it"
variant = "6.1"

[[disks]]
name = "disk0"
size = 4

[[tables]]
name = "lin"
targets = [{ type = "linear", onto = "disk0", length = 4 }]

[[tables]]
name = "zero"
targets = [{ type = "zero", length = 4 }]

[[devices]]
name = "a"
table = "lin"

[[processes]]
name = "reader"
steps = ["open a", "close a"]
)";

constexpr const char* kRemover = R"(
[[processes]]
name = "remover"
steps = ["remove a"]
)";

std::string with(const std::string& tail) { return std::string(kBase) + tail; }

/// A scenario of kBase, the remover and `properties`, expecting `expect`.
std::string scenario(const std::string& properties, const std::string& expect) {
  std::string e = expect;
  const auto at = e.find("reachable = [");
  e = at == std::string::npos ? e + "\nreachable = [\"device-freed\"]"
                              : e.insert(at + 13, "\"device-freed\", ");
  return with(std::string(kRemover) + properties + "\n[expect]\n" + e + "\n");
}

/// The verdict and trace length each property got.
std::map<std::string, std::pair<Verdict, std::size_t>> verdicts(const std::string& text) {
  const auto s = scenarios::parse_scenario(text, "t.toml");
  REQUIRE_MESSAGE(s, (s ? std::string() : s.error().describe()));
  const auto run = scenarios::run_scenario(*s, {});
  REQUIRE(run);
  std::map<std::string, std::pair<Verdict, std::size_t>> out;
  for (const auto& p : run->report.properties) {
    out[p.name] = {p.verdict, p.trace_length()};
  }
  return out;
}

/// The error loading `text` gives: "line:column: message".
std::string error_of(const std::string& text) {
  const auto s = scenarios::parse_scenario(text, "t.toml");
  REQUIRE_FALSE(s);
  const auto& where = *s.error().where;
  return std::to_string(where.line) + ":" + std::to_string(where.column) + ": " + s.error().message;
}

std::string property(const std::string& kind, const std::string& expr) {
  return "\n[[properties]]\nname = \"p\"\n" + kind + " = \"" + expr + "\"\n";
}

}  // namespace

TEST_SUITE("scenarios/properties") {
  TEST_CASE("an implication whose premise never holds holds vacuously, and names the premise") {
    const std::string properties =
        "\n[[properties]]\nname = \"deferred-open\"\n"
        "always = \"forall d in devices: d.deferred implies d.open_count > 0\"\n"
        "\n[[properties]]\nname = \"freed-closed\"\n"
        "always = \"forall d in devices: d.freed implies d.open_count == 0\"\n"
        "\n[[properties]]\nname = \"enxio-gone\"\n"
        "always = \"reader.last.errno == ENXIO implies (not a.exists)\"\n"
        "\n[[properties]]\nname = \"one-open\"\nalways = \"a.open_count <= 1\"\n";
    const std::string expect =
        "holds = [\"freed-closed\", \"enxio-gone\", \"one-open\"]\n"
        "holds_vacuously = [\"deferred-open\", \"no-open-flag-implies-deferred\"]";
    const auto s = scenarios::parse_scenario(scenario(properties, expect), "t.toml");
    REQUIRE_MESSAGE(s, (s ? std::string() : s.error().describe()));
    const auto run = scenarios::run_scenario(*s, {});
    REQUIRE(run);
    CHECK(run->report.outcome() == dmcheck::reports::Outcome::as_expected);
    std::map<std::string, std::string> premises;
    for (const auto& p : run->report.properties) {
      premises[p.name] = p.antecedent;
    }
    CHECK(premises["deferred-open"] == "exists d in devices: d.deferred");
    CHECK(premises["enxio-gone"] == "reader.last.errno == ENXIO");
    CHECK(premises["one-open"].empty());
    CHECK(premises["no-open-flag-implies-deferred"] == "a device carried the no-open flag");

    // Stating `holds` for it is a changed verdict, never a pass.
    const auto stated = scenarios::parse_scenario(
        scenario(properties,
                 "holds = [\"deferred-open\", \"freed-closed\", \"enxio-gone\", "
                 "\"one-open\"]"),
        "t.toml");
    REQUIRE(stated);
    const auto changed = scenarios::run_scenario(*stated, {});
    REQUIRE(changed);
    CHECK(changed->report.outcome() == dmcheck::reports::Outcome::changed);

    // A goal is never vacuous: it cannot be expected so.
    CHECK(error_of(scenario("", "holds_vacuously = [\"device-freed\"]"))
              .find("'device-freed' is a goal; list it under reachable or unreachable") !=
          std::string::npos);
  }

  TEST_CASE("the scenario's own properties get the verdicts the interleavings give") {
    const auto v = verdicts(scenario(
        R"toml(
[[properties]]
name = "open-enxio"
meaning = "the reader's open can fail ENXIO: remove came first"
sometimes = "reader.last is 'open a' and reader.last.errno == ENXIO"

[[properties]]
name = "remove-busy"
sometimes = "remover.last.errno == EBUSY"

[[properties]]
name = "close-ebadf"
sometimes = "reader.last is \"close a\" and reader.last.errno == EBADF"

[[properties]]
name = "close-fails-otherwise"
sometimes = "reader.last is 'close a' and reader.last.errno != 0 and reader.last.errno != EBADF"

[[properties]]
name = "holder-keeps-device"
always = "forall d in devices: d.freed implies count(p in processes: p.holds(d)) == 0"

[[properties]]
name = "live-is-lin"
always = "a.exists implies a.live == lin and a.inactive == none"

[[properties]]
name = "never-freed"
always = "not (exists d in devices: d.freed)"

[[properties]]
name = "open-count-small"
always = "a.open_count <= 1 and count(d in devices: d.exists) <= 1"
)toml",
        R"toml(holds = ["holder-keeps-device", "live-is-lin", "open-count-small"]
violated = ["never-freed"]
reachable = ["open-enxio", "remove-busy", "close-ebadf"]
unreachable = ["close-fails-otherwise"])toml"));
    // remove first, then the open finds nothing: 2 steps; open first makes remove fail EBUSY.
    CHECK(v.at("open-enxio") == std::pair{Verdict::reached, std::size_t{2}});
    CHECK(v.at("remove-busy") == std::pair{Verdict::reached, std::size_t{2}});
    // A close fails only when the open before it failed (no handle: EBADF).
    CHECK(v.at("close-ebadf") == std::pair{Verdict::reached, std::size_t{3}});
    CHECK(v.at("close-fails-otherwise").first == Verdict::unreachable);
    CHECK(v.at("holder-keeps-device").first == Verdict::holds);
    CHECK(v.at("live-is-lin").first == Verdict::holds);
    CHECK(v.at("open-count-small").first == Verdict::holds);
    // The remover removes a before anyone opens it: unhashed, then destroyed.
    CHECK(v.at("never-freed").first == Verdict::violated);
    CHECK(v.at("never-freed").second == v.at("device-freed").second);
  }

  TEST_CASE("an invariant that fails is violated with the shortest counterexample") {
    const auto v =
        verdicts(scenario(property("always", "a.open_count == 0"), "violated = [\"p\"]"));
    CHECK(v.at("p") == std::pair{Verdict::violated, std::size_t{1}});  // the reader opens a
    const auto w = verdicts(
        scenario(property("always", "reader.handles < 1 or a.open_count >= 1"), "holds = [\"p\"]"));
    CHECK(w.at("p").first == Verdict::holds);
  }

  TEST_CASE("a name stands for the device that has it now") {
    // After `remove a`, no device is called a: its fields read as absent.
    const auto v = verdicts(scenario(property("sometimes", "not a.exists and a.open_count == 0"),
                                     "reachable = [\"p\"]"));
    CHECK(v.at("p") == std::pair{Verdict::reached, std::size_t{1}});
  }

  TEST_CASE("a name prefers the hashed device; quantifiers range over created devices only") {
    const std::string text = with(R"toml(
[[processes]]
name = "remover"
steps = ["remove a"]

[[processes]]
name = "creator"
steps = ["create a --table lin"]

[[properties]]
name = "old-and-new-a"
sometimes = "exists d in devices: d.removing and exists e in devices: e.exists and e.name == d.name"

[[properties]]
name = "named-removing-while-hashed"
sometimes = "a.removing and exists d in devices: d.exists and d.name == a"

[[properties]]
name = "all-exist"
sometimes = "forall d in devices: d.exists"

[[properties]]
name = "one-created"
sometimes = "count(d in devices: true) == 1"

[expect]
reachable = ["old-and-new-a", "all-exist", "one-created"]
unreachable = ["named-removing-while-hashed"]
)toml");
    const auto v = verdicts(text);
    // remove unhashes a and waits for its holders; create makes a new a meanwhile.
    CHECK(v.at("old-and-new-a") == std::pair{Verdict::reached, std::size_t{2}});
    // While both exist, `a` is the hashed one: it is never the one being removed.
    CHECK(v.at("named-removing-while-hashed").first == Verdict::unreachable);
    // At the start only a exists: the three never-used slots are not devices.
    CHECK(v.at("all-exist") == std::pair{Verdict::reached, std::size_t{0}});
    CHECK(v.at("one-created") == std::pair{Verdict::reached, std::size_t{0}});
  }

  TEST_CASE("`last is` tells calls apart only where a property watches them") {
    // Without `is`, the states are those of the scenario without properties; watching a call
    // splits states by which call came last, never merges them.
    const auto plain =
        scenarios::parse_scenario(scenario("", "holds = [\"unique-names\"]"), "t.toml");
    const auto watched = scenarios::parse_scenario(
        scenario(property("sometimes", "reader.last is 'close a'"), "reachable = [\"p\"]"),
        "t.toml");
    REQUIRE_MESSAGE(plain, (plain ? std::string() : plain.error().describe()));
    REQUIRE_MESSAGE(watched, (watched ? std::string() : watched.error().describe()));
    const auto a = scenarios::run_scenario(*plain, {});
    const auto b = scenarios::run_scenario(*watched, {});
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->report.stats.states >= a->report.stats.states);
    const auto p = std::find_if(b->report.properties.begin(), b->report.properties.end(),
                                [](const auto& r) { return r.name == "p"; });
    REQUIRE(p != b->report.properties.end());
    CHECK(p->verdict == Verdict::reached);
    CHECK(p->trace_length() == 2);  // open a, close a
  }

  TEST_CASE("kernel actors: the worker's queue and the prober's handle") {
    const std::string text = with(R"toml(
[[processes]]
name = "remover"
steps = ["remove a --deferred"]

[actors]
prober = true
probe_initial_devices = true

[[properties]]
name = "prober-holds"
sometimes = "prober.holds(a) and a.deferred"

[[properties]]
name = "queued"
sometimes = "worker.queued"

[[properties]]
name = "prober-enxio"
sometimes = "prober.last.errno == ENXIO"

[expect]
reachable = ["prober-holds", "queued", "prober-enxio", "device-freed"]
)toml");
    const auto v = verdicts(text);
    CHECK(v.at("prober-holds").first == Verdict::reached);
    CHECK(v.at("queued").first == Verdict::reached);
    // The remove comes before the prober's open: the device is gone when it opens.
    CHECK(v.at("prober-enxio").first == Verdict::reached);
  }

  TEST_CASE("mistakes are reported at their line and column, with the closest name") {
    // The property's expression starts on line 30 at column 11 (after `always = "`).
    const auto bad = [](const std::string& expr) {
      return error_of(scenario(property("always", expr), "holds = [\"p\"]"));
    };
    CHECK(bad("b.exists") == "30:11: unknown name 'b'; did you mean 'a'?");
    CHECK(bad("a.uuid == lin") == "30:21: unknown name 'lin'; it cannot be compared with a uuid");
    CHECK(bad("variant.hooks") == "30:19: the variant has the field integrity");
    CHECK(bad("worker.running") == "30:18: the worker has the fields queued, busy and runs");
    CHECK(bad("a.exist") ==
          "30:13: a device has no field 'exist'; did you mean 'exists'? (fields: exists, "
          "removing, freed, suspended, deferred, no_open, read_only, open_count, open_limit, "
          "live, inactive, root_hash, signature, name, deleting, freeing, io_blocked, uuid, "
          "live_root_hash, live_signature, open_limit_enforced, size, live_size, resume_failed, "
          "no_open_mark, opened_after_mark, "
          "live_changed_unsuspended, holder_reopened, opened, opened_twice, targets_stopped, "
          "double_postsuspend, inactive_lost)");
    CHECK(bad("reader.last.errno == ENXOI") ==
          "30:32: unknown errno 'ENXOI'; did you mean 'ENXIO'?");
    CHECK(bad("a.live == lni") == "30:21: no table is called 'lni'; did you mean 'lin'? (or none)");
    CHECK(bad("a.exists and") == "30:23: expected an expression");
    CHECK(bad("(a.exists") == "30:20: expected ')'");
    CHECK(bad("a.exists a.suspended") ==
          "30:20: unexpected text: expected an operator (and, or, implies, ==, is, ...) or the "
          "end");
    CHECK(bad("a.open_count") == "30:11: expected a truth value here, not a number");
    CHECK(bad("a") == "30:11: 'a' is a device; a condition needs one of its fields, e.g. a.exists");
    CHECK(bad("a.live < lin") == "30:18: '<' orders numbers; a table is compared with == or !=");
    CHECK(bad("a.freed") ==
          "30:13: a name stands for the device that has it now, which is never freed; ask `not "
          "a.exists`, or of a device bound by forall / exists");
    CHECK(bad("forall d in device: d.exists") == "30:23: expected 'devices' or 'processes'");
    CHECK(bad("forall a in devices: a.exists") ==
          "30:18: 'a' already names a variable, device or process here; choose another variable "
          "name");
    CHECK(bad("reader.last is 'open b'") == "30:27: no step of process reader calls 'open b'");
    CHECK(bad("reader.last is 'close a' or remover.last is 'open a'") ==
          "30:56: no step of process remover calls 'open a'");
    CHECK(bad("reader.last == 1") ==
          "30:11: a last call is compared with `is`, e.g. p.last is \"open a\"");
    CHECK(bad("worker.busy and prober.last") ==
          "30:34: the prober has the fields holds(DEVICE) and last.errno");
    CHECK(bad("reader.errno == 0")
              .starts_with("30:18: a process has no field 'errno'; did you mean 'last.errno'?"));
    CHECK(
        bad("reader.last.erno == 0")
            .starts_with("30:23: a process has no field 'last.erno'; did you mean 'last.errno'?"));
  }

  TEST_CASE("a mistake inside a multi-line expression is placed on its own line") {
    const std::string text = scenario(R"toml(
[[properties]]
name = "p"
always = """
a.exists implies
  a.suspendd"""
)toml",
                                      "holds = [\"p\"]");
    CHECK(error_of(text).starts_with("32:5: a device has no field 'suspendd'"));
  }

  TEST_CASE("property entries: names, kinds and clashes") {
    CHECK(error_of(scenario("\n[[properties]]\nname = \"unique-names\"\nalways = \"a.exists\"\n",
                            "holds = [\"unique-names\"]")) ==
          "29:8: 'unique-names' is a catalogue property (dmcheck list); choose another name");
    CHECK(error_of(scenario("\n[[properties]]\nname = \"Bad Name\"\nalways = \"a.exists\"\n",
                            "holds = [\"unique-names\"]"))
              .starts_with("29:8: a property name is 1 to 64 lowercase letters"));
    CHECK(error_of(scenario("\n[[properties]]\nname = \"p\"\nalways = \"a.exists\"\nsometimes = "
                            "\"a.exists\"\n",
                            "holds = [\"p\"]"))
              .find("needs exactly one of 'always' (an invariant) and 'sometimes' (a goal)") !=
          std::string::npos);
    CHECK(error_of(scenario(property("always", "a.exists") + property("always", "a.exists"),
                            "holds = [\"p\"]")) == "33:8: property 'p' is defined twice");
    // Declared, and no verdict stated for it.
    CHECK(error_of(scenario(property("always", "a.exists"), "holds = [\"unique-names\"]")) ==
          "29:8: property 'p' has no verdict in [expect]; list it under holds, holds_vacuously or "
          "violated");
    // A goal listed as an invariant.
    CHECK(error_of(scenario(property("sometimes", "a.exists"), "holds = [\"p\"]"))
              .find("'p' is a goal; list it under reachable or unreachable") != std::string::npos);
  }

  TEST_CASE("the parser refuses nesting past its bound instead of recursing without end") {
    std::string deep;
    for (int i = 0; i < 100; ++i) {
      deep += "(";
    }
    const auto r = scenarios::parse_property(deep + "true");
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("nests more than 64") != std::string::npos);
    std::string ok;
    for (int i = 0; i < 30; ++i) {
      ok += "not ";
    }
    CHECK(scenarios::parse_property(ok + "true"));
  }

  TEST_CASE("the syntax: precedence and associativity") {
    const auto r = scenarios::parse_property("a or b and not c implies d implies e");
    REQUIRE(r);
    using Kind = scenarios::Syntax::Kind;
    // (a or (b and (not c))) implies (d implies e)
    REQUIRE(r->kind == Kind::implies);
    CHECK(r->children[0].kind == Kind::or_);
    CHECK(r->children[0].children[1].kind == Kind::and_);
    CHECK(r->children[0].children[1].children[1].kind == Kind::not_);
    CHECK(r->children[1].kind == Kind::implies);
    CHECK(r->children[1].children[0].text == "d");
    const auto q = scenarios::parse_property("forall d in devices: d.exists implies d.live == x");
    REQUIRE(q);
    CHECK(q->kind == Kind::forall);
    CHECK(q->over_devices);
    CHECK(q->children[0].kind == Kind::implies);  // the body reaches to the end
    const auto c = scenarios::parse_property("count(p in processes: p.finished) >= 2");
    REQUIRE(c);
    CHECK(c->kind == Kind::compare);
    CHECK(c->children[0].kind == Kind::count);
    CHECK_FALSE(c->children[0].over_devices);
  }

  TEST_CASE("without [expect], check reports the scenario's own properties with the rest") {
    const auto s = scenarios::parse_scenario(
        with(std::string(kRemover) + property("sometimes", "remover.last.errno == EBUSY")),
        "t.toml", scenarios::Expectations::optional);
    REQUIRE_MESSAGE(s, (s ? std::string() : s.error().describe()));
    const auto run = scenarios::run_scenario(*s, {});
    REQUIRE(run);
    const auto p = std::find_if(run->report.properties.begin(), run->report.properties.end(),
                                [](const auto& r) { return r.name == "p"; });
    REQUIRE(p != run->report.properties.end());
    CHECK(p->verdict == Verdict::reached);
    CHECK_FALSE(p->expected);
    // Stated verdicts elsewhere, none for p: still checked and reported.
    const auto t =
        scenarios::parse_scenario(scenario(property("sometimes", "remover.last.errno == EBUSY"),
                                           "holds = [\"unique-names\"]"),
                                  "t.toml", scenarios::Expectations::optional);
    REQUIRE_MESSAGE(t, (t ? std::string() : t.error().describe()));
    const auto again = scenarios::run_scenario(*t, {});
    REQUIRE(again);
    CHECK(
        std::any_of(again->report.properties.begin(), again->report.properties.end(),
                    [](const auto& r) { return r.name == "p" && r.verdict == Verdict::reached; }));
  }

  TEST_CASE("every complete scenario in docs/properties.md runs to its own expectations") {
    std::ifstream in(DMCHECK_SOURCE_DIR "/docs/properties.md");
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    const std::string doc = text.str();
    std::vector<std::string> complete;
    for (std::size_t at = doc.find("```toml\n"); at != std::string::npos;
         at = doc.find("```toml\n", at + 1)) {
      const std::size_t begin = at + 8;
      const std::size_t end = doc.find("```", begin);
      REQUIRE(end != std::string::npos);
      const std::string block = doc.substr(begin, end - begin);
      if (block.find("variant = ") != std::string::npos) {
        complete.push_back(block);
      }
    }
    REQUIRE(complete.size() >= 2);
    CHECK(complete[1].find("holds_vacuously") != std::string::npos);
    for (const std::string& block : complete) {
      const auto s = scenarios::parse_scenario(block, "properties.md");
      REQUIRE_MESSAGE(s, (s ? std::string() : s.error().describe()));
      CHECK(s->config.user_properties.size() >= (block == complete[0] ? 6U : 2U));
      const auto run = scenarios::run_scenario(*s, {});
      REQUIRE(run);
      CHECK(run->report.outcome() == dmcheck::reports::Outcome::as_expected);
    }
  }
}
