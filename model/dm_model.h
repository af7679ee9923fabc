#pragma once
/// The device-mapper lifecycle model: built from a Config, explored by the engine over every
/// interleaving of its processes and kernel actors (checker::Model).

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "checker/call_history.h"
#include "checker/error.h"
#include "checker/fingerprint.h"
#include "checker/model.h"
#include "checker/partial_order.h"
#include "checker/symmetry.h"
#include "model/config.h"
#include "model/state.h"

namespace dmcheck::model {

namespace detail {
struct Compiled;
}

/// Who acts in a transition, when it is not a user process.
inline constexpr std::uint8_t kWorkerActor = 0xF0;  ///< the deferred-remove worker
inline constexpr std::uint8_t kProberActor = 0xF1;  ///< the udev-like prober
/// Another device's target that internally suspends and resumes one device (Actors).
inline constexpr std::uint8_t kInternalActor = 0xF2;
static_assert(kMaxProcesses < kWorkerActor, "a process index must not read as a kernel actor");

/// What a transition did.
enum class Event : std::uint8_t {
  call_done,         ///< a process's call returned; obs holds what it saw
  call_step,         ///< a process performed an intermediate sub-step (phase says which)
  worker_remove,     ///< the worker unhashed a device marked for deferred removal
  worker_suspend,    ///< the worker's destroy suspended it under suspend_lock
  worker_destroy,    ///< the worker destroyed it
  worker_idle,       ///< the worker found nothing (more) to remove
  prober_open,       ///< the prober opened a device after a uevent (obs: result)
  prober_close,      ///< the prober closed it
  internal_suspend,  ///< the internal suspender suspended its device internally
  internal_resume,   ///< it resumed the device internally (obs.err: a failed preresume)
  bound_exceeded,    ///< a process's call needed more than the model holds (State::bound)
};

/// A transition label; describe_action() renders it.
struct Action {
  std::uint8_t actor = 0;  ///< process index, kWorkerActor or kProberActor
  Event event = Event::call_done;
  Phase phase = kBetweenCalls;  ///< call_step: the sub-step just performed
  std::uint8_t pc = 0;          ///< the call (processes)
  std::uint8_t branch = 0;
  std::uint8_t sub = 0;
  std::uint8_t device = 0;  ///< device slot + 1 concerned, 0 none
  std::uint8_t name = 0;    ///< that device's name (index) when the action happened
  Observation obs;
};

/// A process's completed call: which call of its program (pc, branch, sub) and what it saw.
struct CallResult {
  std::uint8_t pc = 0;
  std::uint8_t branch = 0;
  std::uint8_t sub = 0;
  std::uint8_t spare = 0;  ///< always zero: keeps the struct free of padding
  Observation obs;
};

/// The model. Copyable and cheap to copy (the compiled config is shared).
class DmModel {
 public:
  using State = model::State;
  using Action = model::Action;
  using CallResult = model::CallResult;

  /// Validates the configuration and builds the model.
  static tl::expected<DmModel, Error> build(const Config& config);

  [[nodiscard]] std::vector<State> initial_states() const;
  void successors(const State& state, checker::SuccessorSink<Action, State> emit) const;
  [[nodiscard]] std::vector<checker::Property<State>> properties() const;
  [[nodiscard]] std::string describe_action(const Action& action) const;
  [[nodiscard]] std::string describe_state(const State& state) const;
  /// The state's fingerprint over the bytes a run can change (checker::HasOwnFingerprint): the
  /// kernel actors, this configuration's processes and the device slots used so far. The room
  /// the State keeps for more processes and devices is zero in every state, so leaving it out
  /// tells no two states apart that were apart, and costs nothing to scenarios that do not use it.
  [[nodiscard]] checker::Fingerprint fingerprint(const State& state) const;
  /// Those bytes, one part after the other (checker::PacksStates): what the engine keeps of a
  /// state waiting in its frontier. Returns how many were written.
  [[nodiscard]] std::size_t pack(const State& state, unsigned char* to) const;
  /// The state packed in `size` bytes at `from`.
  void unpack(const unsigned char* from, std::size_t size, State& out) const;
  /// What bound of the model `state` lies past (checker::HasBounds), or "" within bounds.
  [[nodiscard]] std::string exceeded_bound(const State& state) const;
  /// The call a user process completed in `action` and what it returned (checker::
  /// HasCallResults); nothing for sub-steps and kernel actors.
  [[nodiscard]] std::optional<checker::ActorResult<CallResult>> call_result(
      const Action& action) const;
  /// The call at (pc, branch, sub) of process `pid`'s program, in dmsetup's words.
  [[nodiscard]] std::string call_text(std::size_t pid, const CallResult& call) const;
  /// What a call returned, as an outcome shows it: the errno, or for a read the data.
  [[nodiscard]] std::string result_text(const Observation& obs) const;
  /// The process's name in traces ("p0" when the scenario gives none).
  [[nodiscard]] std::string process_name(std::size_t pid) const;
  /// Whether the scenario has interchangeable processes (checker::HasSymmetry).
  [[nodiscard]] bool symmetric() const;
  /// `state` as the representative of its orbit under permutations of interchangeable
  /// processes: each group's processes sorted, the devices' suspend_lock owners renumbered.
  void canonicalize(State& state) const;
  /// Who moves in `action`: the process index, or kWorkerActor, kProberActor, kInternalActor
  /// (checker::HasAmpleSets).
  [[nodiscard]] std::uint32_t actor_of(const Action& action) const;
  /// A process whose moves in `state` may be explored alone (checker::HasAmpleSets): isolated
  /// from the other processes (model/isolation.h), its devices out of the worker's and the
  /// prober's reach, and every move of it invisible to the checked properties. docs/reductions.md
  /// says why that suffices.
  [[nodiscard]] std::optional<std::uint32_t> ample_actor(const State& state) const;
  /// Every process finished and no kernel actor has work left.
  [[nodiscard]] bool is_final(const State& state) const;

  [[nodiscard]] const Config& config() const;
  /// The slot of the hashed device called `name` in `state`, if any.
  [[nodiscard]] std::optional<std::size_t> find_device(const State& state,
                                                       std::string_view name) const;
  /// The name a device slot carries in `state`.
  [[nodiscard]] std::string device_name(const State& state, std::size_t slot) const;
  /// The status a reply about the device in `slot` carries (DM_DEV_STATUS): flags and open count.
  [[nodiscard]] Observation status(const State& state, std::size_t slot) const;
  /// The table a slot index + 1 stands for ("" for 0).
  [[nodiscard]] std::string table_name(std::uint8_t table) const;

 private:
  explicit DmModel(std::shared_ptr<const detail::Compiled> compiled);
  std::shared_ptr<const detail::Compiled> c_;
};

static_assert(checker::Model<DmModel>);
static_assert(checker::HasBounds<DmModel>);
static_assert(checker::HasOwnFingerprint<DmModel>);
static_assert(checker::PacksStates<DmModel>);
static_assert(checker::HasCallResults<DmModel>);
static_assert(checker::HasSymmetry<DmModel>);
static_assert(checker::HasAmpleSets<DmModel>);

}  // namespace dmcheck::model
