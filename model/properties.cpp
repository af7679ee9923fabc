// The property catalogue: one place listing every property with its meaning and, where a
// review thread left a detail open, the reading chosen.

#include <algorithm>
#include <memory>

#include "model/catalogue.h"
#include "model/compiled.h"
#include "model/device_ops.h"
#include "model/dm_model.h"
#include "model/expression_eval.h"
#include "model/slots.h"

namespace dmcheck::model {
namespace {

using checker::PropertyKind;
using Check = bool (*)(const detail::Compiled&, const State&);

bool alive(const Device& d) { return d.life == Life::hashed || d.life == Life::unhashed; }

/// True when no device is in the state `bad` describes: the shape of most invariants.
template <class Pred>
bool no_device(const State& s, Pred bad) {
  const auto used = detail::used_devices(s);
  return std::none_of(used.begin(), used.end(), bad);
}

/// True when some device is in the state `good` describes: the shape of the reachability checks.
template <class Pred>
bool some_device(const State& s, Pred good) {
  const auto used = detail::used_devices(s);
  return std::any_of(used.begin(), used.end(), good);
}

/// A history bit that records a violation the moment it is set: no device may ever carry it.
template <GhostFlag kGhost>
bool ghost_never_set(const detail::Compiled&, const State& s) {
  return no_device(s, [](const Device& d) { return (d.ghost & kGhost) != 0; });
}

/// A history bit that records an event worth reaching: some device carries it.
template <GhostFlag kGhost>
bool ghost_set(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) { return (d.ghost & kGhost) != 0; });
}

/// Whether a device's integrity metadata differs from what its live table should have attached.
bool integrity_differs(const detail::Compiled& c, const Device& d) {
  return detail::live_integrity(c, d) != std::pair{d.root_hash, d.sig_valid};
}

bool no_open_implies_deferred(const detail::Compiled&, const State& s) {
  return no_device(
      s, [](const Device& d) { return (d.flags & kNoOpen) != 0 && (d.flags & kDeferred) == 0; });
}

bool integrity_matches(const detail::Compiled& c, const State& s) {
  return !c.config.variant.has_integrity() || no_device(s, [&c](const Device& d) {
    return alive(d) && (d.flags & kSuspended) == 0 && integrity_differs(c, d);
  });
}

bool integrity_after_failed_resume(const detail::Compiled& c, const State& s) {
  return no_device(s, [&c](const Device& d) {
    return alive(d) && (d.ghost & kGhostFailedResume) != 0 && d.root_hash != 0 &&
           integrity_differs(c, d);
  });
}

bool size_matches(const detail::Compiled& c, const State& s) {
  return no_device(s, [&c](const Device& d) {
    return alive(d) && detail::device_size(c, d) != detail::table_length(c, d.live);
  });
}

bool failed_resume_suspended(const detail::Compiled&, const State& s) {
  return no_device(s, [](const Device& d) {
    return alive(d) && (d.ghost & kGhostFailedResume) != 0 && (d.flags & kSuspended) == 0;
  });
}

bool open_count_matches(const detail::Compiled& c, const State& s) {
  const std::size_t used = detail::used_device_slots(s);
  // Per device above: the devices below that its tables (live, inactive, or held by a call in
  // progress on it) reference. A device's tables share one open of each device below them (the
  // kernel's table devices), so each pair counts once.
  static_assert(kMaxDevices <= 32, "a device set is a 32-bit mask");
  std::array<std::uint32_t, kMaxDevices> below{};
  const auto refer = [&](std::uint8_t upper, std::uint8_t lower) {
    if (upper != 0 && lower != 0) {
      below[upper - 1] |= std::uint32_t{1} << (lower - 1);
    }
  };
  for (std::size_t upper = 0; upper < used; ++upper) {
    const auto md = static_cast<std::uint8_t>(upper + 1);
    refer(md, s.devices[upper].live_lower);
    refer(md, s.devices[upper].inactive_lower);
  }
  for (const Process& p : c.processes(s)) {
    refer(p.md, p.lower);
    refer(p.md, p.old_lower);
  }
  std::array<int, kMaxDevices> refs{};
  for (std::size_t i = 0; i < used; ++i) {
    refs[i] = c.external_opens[i];
    for (std::size_t upper = 0; upper < used; ++upper) {
      refs[i] += static_cast<int>((below[upper] >> i) & 1U);
    }
  }
  auto add = [&](std::uint8_t slot) {
    if (slot != 0) {
      ++refs[slot - 1];
    }
  };
  for (const Process& p : c.processes(s)) {
    for (std::uint8_t h : p.handle_md) {
      if (h == 0) {
        break;  // handles are packed: the rest are free
      }
      add(h);
    }
  }
  add(s.kernel.prober_md);
  for (std::size_t i = 0; i < used; ++i) {
    if (alive(s.devices[i]) && s.devices[i].open_count != refs[i]) {
      return false;
    }
  }
  return true;
}

bool no_handle_to_freed(const detail::Compiled& c, const State& s) {
  auto ok = [&](std::uint8_t slot) { return slot == 0 || alive(s.devices[slot - 1]); };
  for (const Process& p : c.processes(s)) {
    for (std::uint8_t h : p.handle_md) {
      if (h == 0) {
        break;  // handles are packed: the rest are free
      }
      if (!ok(h)) {
        return false;
      }
    }
    if (!ok(p.md) || !ok(p.lower) || !ok(p.old_lower)) {
      return false;
    }
  }
  for (const Device& d : detail::used_devices(s)) {
    if (alive(d) && (!ok(d.live_lower) || !ok(d.inactive_lower))) {
      return false;
    }
  }
  return ok(s.kernel.prober_md) && ok(s.kernel.internal_md);
}

bool unique_names(const detail::Compiled&, const State& s) {
  const std::size_t used = detail::used_device_slots(s);
  for (std::size_t i = 0; i < used; ++i) {
    for (std::size_t j = i + 1; j < used; ++j) {
      const Device& a = s.devices[i];
      const Device& b = s.devices[j];
      if (a.life == Life::hashed && b.life == Life::hashed &&
          (a.name == b.name || (a.uuid != 0 && a.uuid == b.uuid))) {
        return false;
      }
    }
  }
  return true;
}

bool deleting_closed(const detail::Compiled&, const State& s) {
  return no_device(s,
                   [](const Device& d) { return (d.flags & kDeleting) != 0 && d.open_count != 0; });
}

bool hashed_not_deleting(const detail::Compiled&, const State& s) {
  return no_device(s, [](const Device& d) {
    return d.life == Life::hashed && (d.flags & (kDeleting | kFreeing)) != 0;
  });
}

bool deferred_queued(const detail::Compiled& c, const State& s) {
  const bool worker_idle = s.kernel.deferred_pending == 0 && s.kernel.worker_mode == 0;
  return !c.config.actors.deferred_remove_worker || !worker_idle ||
         no_device(s, [](const Device& d) {
           return d.life == Life::hashed && (d.flags & kDeferred) != 0 && d.open_count == 0;
         });
}

bool postsuspend_resume_alternate(const detail::Compiled&, const State& s) {
  return no_device(s, [](const Device& d) {
    // A device being destroyed has no opener left and none can come: it serves nothing, though
    // dm_destroy suspends it without blocking I/O.
    const bool serving = d.life == Life::hashed && d.live != 0 && (d.flags & kBlockIo) == 0;
    return alive(d) && ((d.ghost & kGhostDoublePostsuspend) != 0 ||
                        (serving && (d.ghost & kGhostTargetsStopped) != 0));
  });
}

bool device_freed(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) { return d.life == Life::freed; });
}

bool deferred_pending(const detail::Compiled&, const State& s) {
  return some_device(
      s, [](const Device& d) { return d.life == Life::hashed && (d.flags & kDeferred) != 0; });
}

// The premises of the catalogue's invariants that read "if A, then B": while no reachable state
// has A, the invariant holds only vacuously.

bool no_open_mark_set(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) { return (d.ghost & kGhostNoOpenMark) != 0; });
}

bool no_open_flag_set(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) { return (d.flags & kNoOpen) != 0; });
}

bool some_resume_failed(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) { return alive(d) && (d.ghost & kGhostFailedResume); });
}

bool resume_failed_with_metadata(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) {
    return alive(d) && (d.ghost & kGhostFailedResume) != 0 && d.root_hash != 0;
  });
}

bool some_deleting(const detail::Compiled&, const State& s) {
  return some_device(s, [](const Device& d) { return (d.flags & kDeleting) != 0; });
}

bool closed_deferred_in_hash(const detail::Compiled& c, const State& s) {
  return c.config.actors.deferred_remove_worker && some_device(s, [](const Device& d) {
           return d.life == Life::hashed && (d.flags & kDeferred) != 0 && d.open_count == 0;
         });
}

bool serving_with_integrity_hook(const detail::Compiled& c, const State& s) {
  return c.config.variant.has_integrity() && some_device(s, [](const Device& d) {
           return alive(d) && d.live != 0 && (d.flags & kSuspended) == 0;
         });
}

/// An invariant's premise: what must happen in some reachable state for it to hold other than
/// vacuously, and its check.
struct Premise {
  std::string_view meaning;
  std::string_view text;  ///< the same premise in the property language
  Check check = nullptr;
};

bool with_no_open_flag(const Variant& v) { return v.has(kNoOpenFlag); }
bool with_integrity(const Variant& v) { return v.has_integrity(); }
bool with_finalize_hook(const Variant& v) { return v.has(kFinalizeHook); }

struct Definition {
  CatalogueEntry entry;
  Check check;
  Premise premise = {};
};

/// Every property in catalogue order: its entry, the check that decides it in a state and, for
/// an invariant of the form "if A, then B", A.
constexpr Definition kDefinitions[] = {
    {{"no-open-after-no-open-mark", PropertyKind::always,
      "No open of a device succeeds after a no-open mark was set on it, until a cancel.",
      "The mark is `remove --deferred --no-open` of a busy device where the no-open-flag patch "
      "exists; on variants without it, `remove --deferred` of a busy device is the only way "
      "to say so and counts as the mark. `remove_all --deferred --no-open` marks every busy "
      "device; `--no-open` on an idle device removes it at once. Opens by processes and the "
      "prober count; a table referencing the device does not.",
      "forall d in devices: not d.opened_after_mark", ""},
     ghost_never_set<kGhostOpenAfterMark>,
     {"a no-open mark was set", "exists d in devices: d.no_open_mark", no_open_mark_set}},
    {{"no-open-flag-implies-deferred", PropertyKind::always,
      "The no-open flag is only ever set together with the deferred-remove flag (the patch's "
      "BUG_ON in dm_blk_open).",
      "", "forall d in devices: d.no_open implies d.deferred", "", with_no_open_flag,
      "variants with +no-open-flag"},
     no_open_implies_deferred,
     {"a device carried the no-open flag", "exists d in devices: d.no_open", no_open_flag_set}},
    {{"one-shot-device", PropertyKind::always,
      "Once a device has been opened, no second open of it ever succeeds (seed 000's "
      "encrypted swap).",
      "Opens by processes and the prober count; a table referencing the device does not. "
      "open-limit-ioctl: the limit is enforced in dm_blk_open for every opener (the author's "
      "'fails any new opens with -EBUSY'), not only in dm_get_device; setting it below the "
      "current count refuses only later opens; 0 removes it. create-open-limit: the limit is "
      "DM_DEV_CREATE's open_count input with DM_ENFORCE_OPEN_COUNT_FLAG, its own bit (so 0 is "
      "an enforced limit: no open succeeds), enforced in dm_blk_open, fixed for the device's "
      "life: with both patches, set_open_limit on such a device is refused (EPERM).",
      "forall d in devices: not d.opened_twice", ""},
     ghost_never_set<kGhostOpenedTwice>,
     {"a device was opened", "exists d in devices: d.opened", ghost_set<kGhostOpenedOnce>}},
    {{"holder-can-reopen", PropertyKind::sometimes,
      "A process that holds a device open can open it again while its deferred removal "
      "is pending (the compatibility the maintainers defend).",
      "", "exists d in devices: d.holder_reopened", ""},
     ghost_set<kGhostHolderReopened>},
    {{"integrity-matches-live-table", PropertyKind::always,
      "Whenever a device is not suspended, its block device's integrity metadata is its "
      "live verity table's root hash and signature state, or none for a non-verity table.",
      "Holds trivially on a kernel with no hook (6.1 without finalize-hook).",
      "variant.integrity implies forall d in devices: (d.exists or d.removing) and not d.suspended "
      "implies d.root_hash == d.live_root_hash and d.signature == d.live_signature",
      "", with_integrity, "variants that attach integrity metadata (6.12, +finalize-hook)"},
     integrity_matches,
     {"a device with a live table ran unsuspended on a kernel that attaches integrity metadata",
      "exists d in devices: variant.integrity and (d.exists or d.removing) and d.live != none and "
      "not d.suspended",
      serving_with_integrity_hook}},
    {{"integrity-after-failed-resume", PropertyKind::always,
      "After a failed resume, a device's integrity metadata is its live table's or none.",
      "Checked until the device next resumes successfully. 6.12: IPE keeps the old digest "
      "when its allocation fails (ENOMEM) and the root hash is cleared when the signature "
      "call is refused (EPERM). finalize-hook (v18): the hook runs inside the swap after the "
      "size check and before the map switch, and its failure cancels the swap; verity then "
      "has no preresume hook, so a plain resume attaches nothing.",
      "forall d in devices: (d.exists or d.removing) and d.resume_failed and d.root_hash != 0 "
      "implies d.root_hash == d.live_root_hash and d.signature == d.live_signature",
      "", with_integrity, "variants that attach integrity metadata (6.12, +finalize-hook)"},
     integrity_after_failed_resume,
     {"a resume failed on a device with integrity metadata",
      "exists d in devices: (d.exists or d.removing) and d.resume_failed and d.root_hash != 0",
      resume_failed_with_metadata}},
    {{"size-matches-live-table", PropertyKind::always,
      "A device's size is its live table's: the capacity its block device shows, and with it "
      "the bio mempools and queue limits set in the same step, come from the table that maps "
      "its I/O.",
      "finalize-hook (v18): __bind sets the new table's capacity, swaps the bio-based mempools "
      "and sets the queue limits before the finalize loop, and a failed finalize undoes none "
      "of it while the old table stays live. The size is in the tables' length units; only "
      "the capacity is modelled, the mempools and limits go with it.",
      "forall d in devices: (d.exists or d.removing) implies d.size == d.live_size", "",
      with_finalize_hook, "variants with +finalize-hook"},
     size_matches},
    {{"open-count-matches-references", PropertyKind::always,
      "A device's open count equals the handles held on it plus the devices whose tables "
      "reference it (live, inactive, or held by a call in progress; a device's tables share "
      "one open of each device below) plus opens from outside the model.",
      "", "",
      "the opens held by calls in progress and by the tables of the devices above, which the "
      "language does not read"},
     open_count_matches},
    {{"no-handle-to-freed-device", PropertyKind::always,
      "No handle, table or call in progress refers to a freed device.", "", "",
      "the devices that calls in progress, tables and kernel actors refer to, which the language "
      "does not read"},
     no_handle_to_freed},
    {{"unique-names", PropertyKind::always, "Names and uuids are unique among hashed devices.", "",
      "forall x in devices: x.exists implies count(y in devices: y.exists and (y.name == x.name or "
      "(x.uuid != none and y.uuid == x.uuid))) == 1",
      ""},
     unique_names},
    {{"deleting-implies-closed", PropertyKind::always,
      "A device marked DELETING has open count zero.", "",
      "forall d in devices: d.deleting implies d.open_count == 0", ""},
     deleting_closed,
     {"a device was marked DELETING", "exists d in devices: d.deleting", some_deleting}},
    {{"live-table-changes-only-while-suspended", PropertyKind::always,
      "A device's live table is only ever replaced while the device is suspended.", "",
      "forall d in devices: not d.live_changed_unsuspended", ""},
     ghost_never_set<kGhostLiveChangedActive>},
    {{"failed-resume-leaves-suspended", PropertyKind::always,
      "A device whose resume failed stays suspended until a resume succeeds.", "",
      "forall d in devices: (d.exists or d.removing) and d.resume_failed implies d.suspended", ""},
     failed_resume_suspended,
     {"a resume failed", "exists d in devices: (d.exists or d.removing) and d.resume_failed",
      some_resume_failed}},
    {{"hashed-not-deleting", PropertyKind::always,
      "A device lookups can find is never DELETING or FREEING.", "",
      "forall d in devices: d.exists implies not d.deleting and not d.freeing", ""},
     hashed_not_deleting},
    {{"deferred-remove-queued", PropertyKind::always,
      "A closed device marked for deferred removal always has the worker queued or running "
      "(no lost wake-up).",
      "Holds trivially when the worker does not run.",
      "worker.runs and not worker.queued and not worker.busy implies forall d in devices: not "
      "(d.exists and d.deferred and d.open_count == 0)",
      ""},
     deferred_queued,
     {"a closed device in the hash was marked for deferred removal while the worker runs",
      "exists d in devices: worker.runs and d.exists and d.deferred and d.open_count == 0",
      closed_deferred_in_hash}},
    {{"postsuspend-resume-alternate", PropertyKind::always,
      "Per live table instance, postsuspend and resume calls alternate: a device serves I/O "
      "only while its live targets are resumed, and no postsuspend reaches targets already "
      "postsuspended (checklist 8, CVE-2024-26880).",
      "A new table counts as postsuspended until its first resume; serving I/O means a live "
      "table, no BLOCK_IO and a hashed device. Internal suspends come from "
      "Actors::internal_suspender. 6.1 "
      "internal resume lets I/O through without calling resume (6.1.0 as released: violated); "
      "6.12 runs preresume and resume and on a failed preresume sets SUSPENDED (holds). "
      "Debian's 6.1.176 has the 6.9 fix backported; base 6.1 keeps the pre-fix behaviour "
      "because the issue defines the change as 6.12's, and a replay cannot drive an internal "
      "suspend (see Base in variant.h).",
      "forall d in devices: (d.exists or d.removing) implies not d.double_postsuspend and not "
      "(d.exists and d.live != none and not d.io_blocked and d.targets_stopped)",
      ""},
     postsuspend_resume_alternate},
    {{"failed-implicit-suspend-keeps-table", PropertyKind::always,
      "A failed implicit suspend in resume loses no inactive table: while the device stays in "
      "the hash, its inactive slot holds the table again (or a newer one).",
      "Injected by Failures::implicit_suspend (EBUSY from lockfs, EINTR from an interrupted "
      "wait). Both bases carry 6.11's do_resume fix (backported to 6.1.y in 2024): the table "
      "goes back into the empty slot, or is destroyed with ENXIO when the cell is gone or "
      "the slot was refilled; 6.1.0's ignored result would have lost it.",
      "forall d in devices: not d.inactive_lost", ""},
     ghost_never_set<kGhostInactiveLost>},
    {{"device-freed", PropertyKind::sometimes, "Some device is removed and freed.", "",
      "exists d in devices: d.freed", ""},
     device_freed},
    {{"deferred-remove-pending", PropertyKind::sometimes,
      "Some device is marked for deferred removal while still in the hash.", "",
      "exists d in devices: d.exists and d.deferred", ""},
     deferred_pending},
};

/// Definition `d` as checked: by its compiled text when the configuration carries the
/// catalogue's texts (the scenario front end always attaches them), else by its code. The
/// meaning reports show ends with the definition checked, so that which one it was is visible.
checker::Property<State> catalogue_property(const std::shared_ptr<const detail::Compiled>& c,
                                            const Definition& d) {
  const auto& texts = c->config.catalogue_texts;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].name == d.entry.name) {
      const FlatExpr* expr = &c->catalogue_exprs[i];
      checker::Property<State> p{std::string(d.entry.name), d.entry.kind,
                                 [c, expr](const State& s) { return evaluate(*c, *expr, s) != 0; },
                                 std::string(d.entry.meaning) + " [" +
                                     std::string(checker::to_string(d.entry.kind)) + ": " +
                                     texts[i].text + "]"};
      if (const FlatExpr* premise = &c->catalogue_premises[i]; !premise->empty()) {
        p.antecedent = [c, premise](const State& s) { return evaluate(*c, *premise, s) != 0; };
        p.antecedent_meaning = texts[i].premise_text;
      }
      return p;
    }
  }
  const Check check = d.check;
  checker::Property<State> p{std::string(d.entry.name), d.entry.kind,
                             [c, check](const State& s) { return check(*c, s); },
                             std::string(d.entry.meaning) + " [defined in code]"};
  if (const Check premise = d.premise.check) {
    p.antecedent = [c, premise](const State& s) { return premise(*c, s); };
    p.antecedent_meaning = std::string(d.premise.meaning);
  }
  return p;
}

}  // namespace

const std::vector<CatalogueEntry>& catalogue() {
  static const std::vector<CatalogueEntry> kEntries = [] {
    std::vector<CatalogueEntry> entries;
    for (const Definition& d : kDefinitions) {
      entries.push_back(d.entry);
    }
    return entries;
  }();
  return kEntries;
}

bool applies(const CatalogueEntry& e, const Variant& v) {
  return e.applies == nullptr || e.applies(v);
}

const CatalogueEntry* find_in_catalogue(std::string_view name) {
  for (const CatalogueEntry& e : catalogue()) {
    if (e.name == name) {
      return &e;
    }
  }
  return nullptr;
}

CataloguePremise catalogue_premise(std::string_view name) {
  for (const Definition& d : kDefinitions) {
    if (d.entry.name == name) {
      return {d.premise.meaning, d.premise.text};
    }
  }
  return {};
}

namespace {

/// Whether the configuration checks the property called `name`: all when it names none.
bool checked(const detail::Compiled& c, std::string_view name) {
  const auto& wanted = c.config.properties;
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), name) != wanted.end();
}

/// The catalogue's separable invariants (detail::watch_properties): the open count and the
/// references to a device come from its own class; a handle or table refers within its class;
/// two hashed devices of different classes have different names and uuids.
bool separable(Check check) {
  return check == &open_count_matches || check == &no_handle_to_freed || check == &unique_names;
}

}  // namespace

void detail::watch_properties(const Compiled& c, PartialOrderPlan& plan) {
  const auto& texts = c.config.catalogue_texts;
  for (const Definition& d : kDefinitions) {
    if (!checked(c, d.entry.name)) {
      continue;
    }
    const auto text = std::find_if(texts.begin(), texts.end(),
                                   [&](const auto& t) { return t.name == d.entry.name; });
    if (text != texts.end()) {
      const auto i = static_cast<std::size_t>(text - texts.begin());
      plan.expressions.push_back(
          {c.catalogue_exprs[i], d.entry.kind == PropertyKind::sometimes, separable(d.check)});
      if (!c.catalogue_premises[i].empty()) {
        plan.expressions.push_back({c.catalogue_premises[i], true});
      }
    } else if (separable(d.check) && d.premise.check == nullptr) {
      plan.invariants.push_back(d.check);
    } else {
      plan.enabled = false;
    }
  }
  const auto& user = c.config.user_properties;
  for (std::size_t i = 0; i < user.size(); ++i) {
    if (checked(c, user[i].name)) {
      plan.expressions.push_back({c.user_exprs[i], user[i].kind == PropertyKind::sometimes});
      if (!c.user_premises[i].empty()) {
        plan.expressions.push_back({c.user_premises[i], true});
      }
    }
  }
}

std::vector<checker::Property<State>> DmModel::properties() const {
  std::vector<checker::Property<State>> out;
  std::shared_ptr<const detail::Compiled> compiled = c_;
  for (const Definition& d : kDefinitions) {
    if (checked(*c_, d.entry.name)) {
      out.push_back(catalogue_property(compiled, d));
    }
  }
  const auto& user = c_->config.user_properties;
  for (std::size_t i = 0; i < user.size(); ++i) {
    if (!checked(*c_, user[i].name)) {
      continue;
    }
    const FlatExpr* expr = &compiled->user_exprs[i];
    auto& property = out.emplace_back(checker::Property<State>{
        user[i].name, user[i].kind,
        [compiled, expr](const State& s) { return evaluate(*compiled, *expr, s) != 0; },
        user[i].meaning.empty() ? user[i].text : user[i].meaning});
    if (const FlatExpr* premise = &compiled->user_premises[i]; !premise->empty()) {
      property.antecedent = [compiled, premise](const State& s) {
        return evaluate(*compiled, *premise, s) != 0;
      };
      property.antecedent_meaning = user[i].premise_text;
    }
  }
  return out;
}

}  // namespace dmcheck::model
