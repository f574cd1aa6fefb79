#pragma once
// Small helpers over one seeded engine: every choice of a sequence comes from it, so a sequence
// is a pure function of its seed.
#include <cstddef>
#include <random>
#include <vector>

namespace faxover::fuzz {

inline int uniform(std::mt19937_64& random, int low, int high) {  // low..high, both included
    return std::uniform_int_distribution<int>(low, high)(random);
}

inline bool chance(std::mt19937_64& random, double probability) {
    return std::bernoulli_distribution(probability)(random);
}

template <typename T>
const T& pick(std::mt19937_64& random, const std::vector<T>& from) {
    return from[static_cast<std::size_t>(uniform(random, 0, static_cast<int>(from.size()) - 1))];
}

}  // namespace faxover::fuzz
