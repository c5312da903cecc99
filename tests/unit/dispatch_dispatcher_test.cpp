// Unit tests of dispatcher selection and probe bookkeeping over hand-built ABI data.
#include <gtest/gtest.h>

#include <map>

#include "dispatch/dispatcher.h"

namespace sbc::dispatch {
namespace {

struct Fixture {
  sbc_destination dests[3] = {{"sip:127.0.0.30:5080", "a", 1, 1},
                              {"sip:127.0.0.31:5080", "b", 5, 3},
                              {"sip:[::1]:5080", "c", 3, 0}};
  uint32_t codes[1] = {200};
  sbc_dispatcher config{"ms", 0, SBC_TRANSPORT_UDP, SBC_PICK_ROUND_ROBIN, dests, 3,
                        {1, "OPTIONS", 1000, "sip:127.0.0.20", codes, 1, 2, 1}};
  sbc_policy policy{};

  std::vector<DispatcherSet> load(uint32_t pick) {
    config.pick = pick;
    policy.dispatchers = &config;
    policy.dispatcher_count = 1;
    std::string error;
    auto sets = load_dispatchers(policy, error);
    EXPECT_TRUE(sets) << error;
    return std::move(*sets);
  }
};

TEST(Dispatcher, RoundRobinSkipsInactive) {
  Fixture f;
  auto sets = f.load(SBC_PICK_ROUND_ROBIN);
  auto& set = sets[0];
  EXPECT_EQ(set.select("x")->duid, "a");
  EXPECT_EQ(set.select("x")->duid, "b");
  EXPECT_EQ(set.select("x")->duid, "c");
  set.destinations()[1].active = false;
  EXPECT_EQ(set.select("x")->duid, "a");
  EXPECT_EQ(set.select("x")->duid, "c");
  for (auto& d : set.destinations()) d.active = false;
  EXPECT_EQ(set.select("x"), nullptr);
}

TEST(Dispatcher, HashKeepsACallOnOneDestination) {
  Fixture f;
  auto sets = f.load(SBC_PICK_HASH_CALLID);
  const Destination* first = sets[0].select("call-42");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sets[0].select("call-42"), first);
}

TEST(Dispatcher, PriorityPicksTheHighestActive) {
  Fixture f;
  auto sets = f.load(SBC_PICK_PRIORITY);
  EXPECT_EQ(sets[0].select("x")->duid, "b");
  sets[0].destinations()[1].active = false;
  EXPECT_EQ(sets[0].select("x")->duid, "c");
}

TEST(Dispatcher, WeightSharesByWeight) {
  Fixture f;
  auto sets = f.load(SBC_PICK_WEIGHT);
  std::map<std::string, int> hits;
  for (int i = 0; i < 400; ++i) ++hits[sets[0].select("x")->duid];
  EXPECT_EQ(hits["a"], 100);
  EXPECT_EQ(hits["b"], 300);
  EXPECT_EQ(hits["c"], 0);
}

TEST(Dispatcher, ThresholdFailuresMarkInactiveAndOneSuccessRestores) {
  Fixture f;
  auto sets = f.load(SBC_PICK_ROUND_ROBIN);
  auto& d = sets[0].destinations()[0];
  EXPECT_FALSE(sets[0].record_probe_failure(d));  // threshold is 2
  EXPECT_TRUE(d.active);
  EXPECT_TRUE(sets[0].record_probe_failure(d));
  EXPECT_FALSE(d.active);
  EXPECT_TRUE(sets[0].record_probe_success(d));
  EXPECT_TRUE(d.active);
}

TEST(Dispatcher, RejectsHostNames) {
  Fixture f;
  f.dests[0].uri = "sip:media.example.com:5080";
  f.policy.dispatchers = &f.config;
  f.policy.dispatcher_count = 1;
  std::string error;
  EXPECT_FALSE(load_dispatchers(f.policy, error));
  EXPECT_NE(error.find("IP address"), std::string::npos);
}

}  // namespace
}  // namespace sbc::dispatch
