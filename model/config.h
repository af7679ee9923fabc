#pragma once
/// The immutable description a model is built from: variant, disks, tables, the devices present
/// at the start, the processes and their programs, the kernel actors, the failures the checker
/// may inject, and which properties apply. A plain data struct: scenario files map onto it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "model/expression.h"
#include "model/step.h"
#include "model/table.h"
#include "model/variant.h"

namespace dmcheck::model {

/// A device present when the run starts (created, its table loaded and resumed).
struct DeviceSpec {
  std::string name;
  std::string uuid;             ///< empty: none
  std::string table;            ///< live table (a Config::tables name); empty: no table yet
  bool readonly = false;        ///< the live table was loaded read-only
  std::uint8_t open_limit = 0;  ///< open-limit variants: 0 means none
  std::uint8_t open_count = 0;  ///< opens held by something outside the model (e.g. swapon)
  /// A table loaded but not resumed before the run (the inactive slot); empty: none. It needs a
  /// live table, and must be one a load would stage: its targets on backing disks only.
  std::string inactive;
  bool inactive_readonly = false;  ///< the inactive table was loaded read-only
};

/// A user process: a name for traces and its program.
struct ProcessSpec {
  std::string name;
  std::vector<Step> program;
  /// The scenario's `[[processes]]` entry with `count = N` this process is one copy of; empty
  /// for a process of its own. The copies of one entry are consecutive, run the same program and
  /// are interchangeable: the checker explores one representative of every permutation of them.
  std::string copy_of;
};

/// Failures the checker may choose nondeterministically, wherever one can happen.
struct Failures {
  bool preresume = false;          ///< a generic target's preresume fails (EIO)
  bool integrity_alloc = false;    ///< allocation fails in the integrity hook / finalize (ENOMEM)
  bool integrity_refused = false;  ///< the LSM refuses the signature call (EPERM; hash cleared)
  bool swap_size = false;          ///< the table swap fails its size check (EINVAL)
  /// The suspend a resume with a new table does before the swap fails: freezing the mounted
  /// filesystem fails (EBUSY; only with lockfs: not --nolockfs, not --noflush, a live table
  /// present), or a signal interrupts its wait for in-flight I/O or for an internal resume
  /// (EINTR). The resume returns the error and puts the table back in the inactive slot.
  bool implicit_suspend = false;
};

/// Kernel actors that run as processes.
struct Actors {
  bool deferred_remove_worker = true;  ///< runs the deferred removals queued by last closes
  bool prober = false;                 ///< udev-like: opens and closes a device after it resumes
  bool probe_initial_devices = false;  ///< the prober also probes each initial device once
  /// A target of another device (a thin-pool over its thin devices, a snapshot merge) that
  /// internally suspends the device of this name and later internally resumes it (dm_internal_
  /// suspend_noflush / dm_internal_resume). Empty: no such actor.
  std::string internal_suspender;
  std::uint8_t internal_suspend_rounds = 1;  ///< how many suspend/resume rounds it may do (1..3)
};

/// Everything a model is built from.
struct Config {
  Variant variant;
  std::vector<Disk> disks;
  std::vector<TableDef> tables;
  std::vector<DeviceSpec> devices;
  std::vector<ProcessSpec> processes;
  Actors actors;
  Failures failures;
  /// Names rename may use beyond those in devices and steps (rename picks among config names).
  std::vector<std::string> extra_names;
  /// Property names to check (see catalogue() and user_properties); empty means all of both.
  std::vector<std::string> properties;
  /// The scenario's own properties, parsed and checked by its front end.
  std::vector<UserProperty> user_properties;
  /// The catalogue's text-defined properties (CatalogueEntry::text), compiled by the scenario
  /// front end, which attaches every one of them: then each such property is checked by its
  /// text. Empty (a configuration built in C++ without the front end): the model's code
  /// definitions of those properties decide instead, which is what the test of the library
  /// compares the texts with. Never a mix: check_config refuses a partial set.
  std::vector<UserProperty> catalogue_texts;

  /// The index of the disk called `name` in `disks`, or -1.
  [[nodiscard]] int disk_index(std::string_view name) const;
};

/// Which part of a configuration a validation error is about, as data, so that a caller that
/// knows where each part was written (the scenario loader knows file, line and column) can place
/// the error there without searching for it.
struct ConfigPart {
  enum class Section : std::uint8_t {
    whole,            ///< no one part: the configuration as a whole
    disks,            ///< Config::disks[index]
    tables,           ///< Config::tables[index]; `item` is one of its targets
    devices,          ///< Config::devices[index]
    processes,        ///< Config::processes[index]; `item` is one step of its program
    extra_names,      ///< Config::extra_names[index]
    actors,           ///< Config::actors
    properties,       ///< Config::properties[index]
    user_properties,  ///< Config::user_properties[index]
  };
  Section section = Section::whole;
  std::size_t index = 0;
  std::optional<std::size_t> item;  ///< a table's target or a process's step, when one is at fault
  /// The member at fault (a DeviceSpec's "open_limit", a Target's "onto", ...); empty: the whole
  /// entry or item. A count past a bound names the first entry past it; a duplicate name its
  /// second occurrence.
  std::string_view field;
};

/// A validation error and the part of the configuration it is about.
struct Invalid {
  Error error;  ///< bad_input, without a place (the configuration has none)
  ConfigPart part;
};

/// Checks a configuration against the model's bounds and the variant: unknown tables, disks or
/// properties, steps the variant lacks (e.g. --no-open without no-open-flag), too many devices,
/// processes, tables, names or calls, names the kernel would refuse. The model is only built
/// from a valid configuration, so no index of the compiled model wraps. One pass; the first
/// problem found is returned with the part it is about.
tl::expected<void, Invalid> check_config(const Config& config);

/// check_config for a caller with no place to put the part: the error alone.
tl::expected<void, Error> validate(const Config& config);

}  // namespace dmcheck::model
