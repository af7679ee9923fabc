#pragma once
/// `dmcheck conform --races`: races on the real kernel judged against the model's allowed ends.

#include <cstdint>
#include <string>
#include <tl/expected.hpp>
#include <vector>

#include "checker/error.h"
#include "conformance/race.h"

namespace dmcheck::cli {

/// The most states the model may explore for one race's allowed set (races are small; a larger
/// one is judged unknown, not divergent).
inline constexpr std::uint64_t kRaceModelStates = 10'000'000;

/// Races from scenario files (read without expectations): their devices are the starting
/// state, their processes the threads.
tl::expected<std::vector<conformance::Race>, Error> races_from_files(
    const std::vector<std::string>& files, std::size_t iterations);

/// Runs `races`, judges each and prints the table. Returns the exit status: 0 every kernel
/// outcome within the model, 1 one outside it, 2 bad input, 3 a signal or an incomplete model
/// exploration, 4 model error, 5 the kernel could not be run.
int run_race_conformance(const std::vector<conformance::Race>& races,
                         const conformance::RaceOptions& options, bool all_outcomes);

}  // namespace dmcheck::cli
