// The small corpus the end-to-end training tests make: two topics of four words each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/random.h"

namespace w2v::testing {

// Two topics whose words share contexts within a topic and never across: "animal" words appear
// among animal context words, "vehicle" words among vehicle context words.
inline std::string TopicCorpus(int sentences, uint64_t seed = 99) {
  const std::vector<std::string> animals = {"cat", "dog", "horse", "cow"};
  const std::vector<std::string> animal_context = {"fur", "tail", "barn", "milk", "paw", "hay"};
  const std::vector<std::string> vehicles = {"car", "truck", "bus", "van"};
  const std::vector<std::string> vehicle_context = {"wheel", "road",  "engine",
                                                    "fuel",  "brake", "gear"};
  core::Rng rng(seed);
  std::string text;
  for (int s = 0; s < sentences; ++s) {
    const bool animal = s % 2 == 0;
    const auto& topic = animal ? animals : vehicles;
    const auto& context = animal ? animal_context : vehicle_context;
    for (int w = 0; w < 12; ++w) {
      text += (w % 3 == 1) ? topic[rng.Below(4)] : context[rng.Below(6)];
      text += ' ';
    }
    text += '\n';
  }
  return text;
}

}  // namespace w2v::testing
