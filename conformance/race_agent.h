#pragma once
/// A race on the real kernel, run by the guest agent: two or three threads, each performing a
/// short list of call requests, released together and repeated many times with a reset before
/// each iteration; every iteration's outcome (each call's errno and every device's settled
/// status afterwards) is counted. The threads are made once per race and reused: starting
/// threads in User-Mode Linux costs far more than an iteration.
///
/// Request:
///
///     {"op": "race",
///      "setup": [REQUEST, ...],           performed in order by one thread before each release
///      "threads": [[REQUEST, ...], ...],  2 or 3 threads of 1 to 16 call requests each
///      "iterations": N,                   1 to 100000000
///      "budget_ms": B,                    optional, default 60000, at most 86400000: no
///                                         iteration starts once B ms have passed
///      "call_limit_ms": L,                optional, default 10000, at most 600000: how long the
///                                         threads of one iteration may take
///      "seed": S,                         optional, default 0: the start order of each iteration
///      "zero": [DISK, ...]}               optional: disks zeroed at every reset, as for "reset"
///
/// A REQUEST is any request Agent::act performs ("reset" and "race" are not); its "call", when a
/// string, names it in messages. Up to 256 setup requests. Handles opened in setup stay held
/// until the next reset, so the threads may use them; each thread's opens use the ids its
/// requests give. Every call is a real system call made by its thread; nothing serialises them.
///
/// Observation:
///
///     {"op": "race", "iterations": K, "seconds": T,
///      "outcomes": [{"results": [[ERRNO, ...], ...], "devices": [DEVICE, ...], "count": C}, ...],
///      "stopped": WHY}
///
/// `results[t][c]` is the errno of thread t's call c (0 on success; an open's is open(2)'s);
/// `devices` lists every device as a step's observation does (Agent::settled_devices). Outcomes
/// are sorted by results, then by the devices' JSON text; their counts sum to K. K is N unless
/// the time budget ran out first: then "stopped" says so and K < N.
///
/// A race that cannot be run is {"op": "race", "agent_error": WHY}, WHY naming the iteration and
/// the request: a malformed race, a reset that fails, a setup request that fails (any errno), a
/// call the agent refuses, or a thread whose calls had not returned within the call limit (every
/// device is then resumed, which releases a read waiting on a suspended device; a call that waits
/// forever cannot race). When even that does not release the thread, `stuck` is set to why, and
/// the agent performs nothing more: the stuck thread may hold any of the kernel's locks.

#include <nlohmann/json.hpp>
#include <string>

namespace dmcheck::conformance {

class Agent;

/// Runs the race `request` on `agent` (see above) and returns its observation, without "op".
nlohmann::json run_race(Agent& agent, const nlohmann::json& request, std::string& stuck);

}  // namespace dmcheck::conformance
