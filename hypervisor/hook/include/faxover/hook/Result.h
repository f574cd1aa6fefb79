#pragma once
// A value or a one-line message saying what is wrong with the input, never an exception: the hook
// turns every problem into a decision (docs/hook.md), so problems must be values it can inspect.
#include <boost/outcome/result.hpp>
#include <boost/outcome/success_failure.hpp>

#include <string>

namespace faxover::hook {

namespace outcome = BOOST_OUTCOME_V2_NAMESPACE;

template <class T>
using Result = outcome::result<T, std::string, outcome::policy::terminate>;

}  // namespace faxover::hook
