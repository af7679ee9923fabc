/// Readers of trace and report files and of the guest's output: every malformed document gives a
/// message naming the JSON path that is wrong, never an exception; input files are bounded.

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "conformance/conform.h"
#include "conformance/counterexample.h"
#include "conformance/dm_control.h"
#include "conformance/dm_names.h"
#include "conformance/guest_protocol.h"
#include "conformance/trace.h"
#include "conformance/universe.h"
#include "reports/json.h"
#include "reports/json_file.h"

using nlohmann::json;
namespace conformance = dmcheck::conformance;
namespace reports = dmcheck::reports;

namespace {

json good_trace() {
  return {{"schema", "dmcheck-trace/1"},
          {"name", "t"},
          {"calls", {"create a", "remove a"}},
          {"scenario", nullptr}};
}

json good_report() {
  reports::Report r;
  r.name = "swap";
  r.file = "scenarios/swap.toml";
  r.variant = "6.1";
  reports::PropertyReport p;
  p.name = "one-shot-device";
  p.verdict = dmcheck::checker::Verdict::violated;
  p.trace = {{"", "dm0 a", {}, 0}, {"p0 open a -> 0", "dm0 a open=1", {"dm0 a open=1"}, 1}};
  r.properties = {p};
  return reports::to_json(r);
}

std::string trace_error(const json& j) {
  const auto read = conformance::trace_from_json(j, "trace.json");
  return read ? "" : read.error().describe();
}

std::string report_error(const json& j) {
  const auto read = reports::report_from_json(j, "report.json");
  return read ? "" : read.error().describe();
}

/// A temporary folder for files under test.
struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    dir = std::filesystem::temp_directory_path() /
          ("dmcheck-readers-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  }
};

}  // namespace

TEST_SUITE("conformance/readers") {
  TEST_CASE("a malformed trace names the JSON path that is wrong") {
    CHECK(trace_error(good_trace()).empty());
    struct Case {
      const char* what;
      json doc;
      std::string message;
    };
    std::vector<Case> cases;
    auto with = [](const std::string& key, json value) {
      json j = good_trace();
      j[key] = std::move(value);
      return j;
    };
    cases.push_back({"schema a number", with("schema", 1),
                     "trace.json: $.schema must be a string, got number"});
    cases.push_back(
        {"name a number", with("name", 5), "trace.json: $.name must be a string, got number"});
    cases.push_back({"another schema", with("schema", "x/1"),
                     "trace.json: $.schema must be one of \"dmcheck-trace/1\", got \"x/1\""});
    cases.push_back({"calls not an array", with("calls", "create a"),
                     "trace.json: $.calls must be an array, got string"});
    cases.push_back({"a call not a string", with("calls", json::array({"create a", 3})),
                     "trace.json: $.calls[1] must be a string, got number"});
    cases.push_back({"scenario an object", with("scenario", json::object()),
                     "trace.json: $.scenario must be a string, got object"});
    json no_calls = good_trace();
    no_calls.erase("calls");
    cases.push_back({"calls missing", no_calls, "trace.json: $.calls is missing"});
    cases.push_back({"not an object", json::array(), "trace.json: $ must be an object, got array"});
    for (const Case& c : cases) {
      CAPTURE(c.what);
      CHECK(trace_error(c.doc) == c.message);
    }
  }

  TEST_CASE("a malformed report names the JSON path that is wrong") {
    CHECK(report_error(good_report()).empty());
    struct Case {
      const char* pointer;
      json value;
      std::string message;
    };
    const std::vector<Case> cases = {
        {"/schema", 1, "$.schema must be a string, got number"},
        {"/scenario", 5, "$.scenario must be a string, got number"},
        {"/stats/states", "many", "$.stats.states must be a whole number, got string"},
        {"/stats/states", -1,
         "$.stats.states must be a whole number from 0 to 18446744073709551615, got -1"},
        {"/stats/max_depth", 1e30,
         "$.stats.max_depth must be a whole number from 0 to 4294967295, got 1e+30"},
        {"/stats/seconds", "1", "$.stats.seconds must be a number, got string"},
        {"/strategy", "sideways",
         "$.strategy must be one of \"bfs\", \"dfs\", \"random\", got \"sideways\""},
        {"/properties", json::object(), "$.properties must be an array, got object"},
        {"/properties/0/verdict", true, "$.properties[0].verdict must be a string, got boolean"},
        {"/properties/0/trace/steps/1/successor", -1,
         "$.properties[0].trace.steps[1].successor must be a whole number from 0 to 4294967295, "
         "got -1"},
        {"/properties/0/trace/steps/1/changed", json::array({1}),
         "$.properties[0].trace.steps[1].changed[0] must be a string, got number"},
        {"/properties/0/trace/initial", 4294967296ULL,
         "$.properties[0].trace.initial must be a whole number from 0 to 4294967295, got "
         "4294967296"},
        {"/properties/0/expected_shortest", 2.5,
         "$.properties[0].expected_shortest must be a whole number from 0 to 4294967295, got 2.5"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.pointer);
      json j = good_report();
      j[json::json_pointer(c.pointer)] = c.value;
      CHECK(report_error(j) == "report.json: " + c.message);
    }
  }

  TEST_CASE("a report of several runs names the run that is wrong") {
    json bad = good_report();
    bad["variant"] = 61;
    const json runs = {{"schema", "dmcheck-report/1"}, {"runs", {good_report(), bad}}};
    const auto cex = conformance::counterexample_trace(runs, "runs.json", "nosuch");
    REQUIRE_FALSE(cex);
    CHECK(cex.error().describe() == "runs.json: $.runs[1].variant must be a string, got number");
    const json not_runs = {{"schema", "dmcheck-report/1"}, {"runs", 3}};
    CHECK(conformance::counterexample_trace(not_runs, "runs.json", "").error().describe() ==
          "runs.json: $.runs must be an array, got number");
  }

  TEST_CASE("input files are regular files of bounded size and nesting") {
    const Scratch scratch;
    CHECK(reports::read_json_file(scratch.write("ok.json", good_trace().dump())));
    const auto started = std::chrono::steady_clock::now();
    const std::string fifo = (scratch.dir / "fifo.json").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    auto read = reports::read_json_file(fifo);  // no writer: must not wait for one
    REQUIRE_FALSE(read);
    CHECK(read.error().message == "is not a regular file (a FIFO, socket or device)");
    read = reports::read_json_file("/dev/zero");
    REQUIRE_FALSE(read);
    CHECK(read.error().message == "is not a regular file (a FIFO, socket or device)");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    read = reports::read_json_file(scratch.dir.string());
    CHECK(read.error().message == "is a directory, not a JSON file");
    read = reports::read_json_file(scratch.write("big.json", std::string(101, ' ') + "{}"), 100);
    CHECK(read.error().message == "larger than the limit of 100 bytes for a trace or report file");
    read = reports::read_json_file(
        scratch.write("deep.json", std::string(100, '[') + std::string(100, ']')));
    CHECK(read.error().describe() ==
          scratch.dir.string() + "/deep.json:1:65: nested more than 64 levels deep");
    read = reports::read_json_file(
        scratch.write("strings.json", "[\"" + std::string(100, '[') + "\"]"));
    CHECK(read);  // brackets inside a string are no nesting
    read = reports::read_json_file(scratch.write("bad.json", "{\n  \"a\": ]\n}"));
    CHECK(read.error().describe() ==
          scratch.dir.string() + "/bad.json:2:8: not JSON: the text does not parse here");
    read = reports::read_json_file((scratch.dir / "absent.json").string());
    CHECK(read.error().message == "cannot read the file: No such file or directory");
  }
}

namespace {

std::vector<json> requests() {
  return {{{"op", "reset"}, {"call", "reset"}},
          {{"op", "info"}, {"name", "a"}, {"call", "info a"}}};
}

json reset_seen() { return {{"op", "reset"}, {"errno", 0}, {"devices", json::array()}}; }

json info_seen() {
  return {{"op", "info"},
          {"errno", 0},
          {"flags", 8},
          {"open_count", 0},
          {"devices",
           {{{"name", "a"},
             {"errno", 0},
             {"flags", 8},
             {"open_count", 0},
             {"live", {{{"start", 0}, {"length", 8}, {"type", "linear"}, {"params", "x"}}}}}}}};
}

std::string lines(const std::vector<json>& observations, bool done = true) {
  std::string text;
  for (const json& o : observations) {
    text += o.dump() + "\n";
  }
  return done ? text + "{\"done\":true}\n" : text;
}

std::string guest_error(const std::string& text) {
  const auto out = conformance::parse_guest_output(text, requests());
  return out ? "" : out.error().message;
}

}  // namespace

TEST_SUITE("conformance/guest-protocol") {
  TEST_CASE("well-formed guest output is read in request order") {
    const auto out =
        conformance::parse_guest_output(lines({reset_seen(), info_seen()}), requests());
    REQUIRE_MESSAGE(out, (out ? "" : out.error().message));
    CHECK(out->done);
    CHECK(out->observations.size() == 2);
  }

  TEST_CASE("a guest that breaks the protocol is an error naming the request") {
    CHECK(guest_error(lines({reset_seen()})) ==
          "guest protocol error: the guest ended after 1 observations for 2 requests (request 2: "
          "info a unanswered)");
    CHECK(guest_error(lines({reset_seen(), info_seen(), info_seen()})) ==
          "guest protocol error: more observations than the 2 requests");
    struct Case {
      const char* pointer;
      json value;
      std::string message;
    };
    const std::vector<Case> cases = {
        {"/errno", "EINVAL", "$.errno must be a whole number, got string"},
        {"/errno", -1, "$.errno must be a whole number from 0 to 4095, got -1"},
        {"/errno", 5000, "$.errno must be a whole number from 0 to 4095, got 5000"},
        {"/flags", 4294967296ULL,
         "$.flags must be a whole number from 0 to 4294967295, got 4294967296"},
        {"/open_count", "1", "$.open_count must be a whole number, got string"},
        {"/op", "remove", "$.op must be \"info\" (the request's op), got \"remove\""},
        {"/devices", nullptr, "$.devices must be an array, got null"},
        {"/devices/0/name", 7, "$.devices[0].name must be a string, got number"},
        {"/devices/0/open_count", -2,
         "$.devices[0].open_count must be a whole number from 0 to 2147483647, got -2"},
        {"/devices/0/live/0/params", json::array(),
         "$.devices[0].live[0].params must be a string, got array"},
        {"/data", 1, "$.data must be a string, got number"},
    };
    for (const Case& c : cases) {
      CAPTURE(c.pointer);
      json o = info_seen();
      o[json::json_pointer(c.pointer)] = c.value;
      CHECK(guest_error(lines({reset_seen(), o})) ==
            "guest protocol error: observation 2: " + c.message + " (request 2: info a)");
    }
    CHECK(guest_error("[1]\n") ==
          "guest protocol error: observation 1 is not a JSON object (request 1: reset)");
    CHECK(guest_error("{\"agent_error\": \"cannot mount proc on /proc\"}\n") ==
          "guest agent: cannot mount proc on /proc");
  }

  TEST_CASE("a line cut short by a killed guest is left out") {
    const auto out =
        conformance::parse_guest_output(lines({reset_seen()}, false) + "{\"op\":\"in", requests());
    REQUIRE(out);
    CHECK_FALSE(out->done);
    CHECK(out->observations.size() == 1);
  }

  TEST_CASE("an errno the model does not know is printed as the number") {
    CHECK(conformance::kernel_errno_name(22) == "EINVAL");
    CHECK(conformance::kernel_errno_name(0) == "0");
    CHECK(conformance::kernel_errno_name(95) == "errno 95");
    CHECK(conformance::kernel_errno_name(256 + 22) == "errno 278");  // not EINVAL
  }
}

TEST_SUITE("conformance/names") {
  TEST_CASE("names and uuids the kernel's fields cannot hold are refused") {
    CHECK(conformance::invalid_dm_name(std::string(127, 'a')).empty());
    CHECK(conformance::invalid_dm_name(std::string(128, 'a')) ==
          "device name of 128 bytes is longer than the kernel's 127");
    CHECK(conformance::invalid_dm_name("a/b") == "device name 'a/b' contains '/'");
    CHECK(conformance::invalid_dm_name(std::string("a\0b", 3)) ==
          "device name contains a NUL byte");
    CHECK(conformance::invalid_dm_uuid(std::string(128, 'u')).empty());
    CHECK(conformance::invalid_dm_uuid(std::string(129, 'u')) ==
          "uuid of 129 bytes is longer than the kernel's 128");
  }

  TEST_CASE("the control interface refuses them before any ioctl") {
    conformance::DmControl dm;  // on the host: no control device needed, no ioctl made
    const conformance::Reply created = dm.create(std::string(200, 'a'), "", false);
    CHECK(created.refused == "device name of 200 bytes is longer than the kernel's 127");
    CHECK(created.failed());
    CHECK(dm.create("a", std::string(129, 'u'), false).refused ==
          "uuid of 129 bytes is longer than the kernel's 128");
    CHECK(dm.rename("a", "b/c").refused == "new device name 'b/c' contains '/'");
    CHECK(dm.status(std::string("a\0b", 3)).refused == "device name contains a NUL byte");
  }
}

TEST_SUITE("conformance/names") {
  TEST_CASE("a trace naming a device the kernel cannot name is refused before any boot") {
    conformance::ConformOptions options;
    options.uml.agent = DMCHECK_AGENT;
    options.uml.timeout = std::chrono::milliseconds(1);  // a boot would fail: none may happen
    const conformance::Trace trace{"long", {"create " + std::string(200, 'a') + " --notable"}, ""};
    const auto report = conformance::conform(conformance::universe(), {trace}, options);
    REQUIRE_FALSE(report);
    CHECK(report.error().kind == dmcheck::ErrorKind::bad_input);
    CHECK(report.error().message.find("127") != std::string::npos);
  }
}
