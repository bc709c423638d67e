// The constraints between config keys, checked once every key is read: what one key needs of
// another (negative sampling's negatives, the min_lr under lr, an evaluation's sets, the models
// and kernels that are built, random-context sampling's needs, the UNK word). Each error is
// located where the first of the keys it names got its value.
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"
#include "io/config.h"

namespace w2v::io {

// `set_at`: each key that was set, and where ("FILE:LINE" or "--set KEY=VALUE"); `source` locates
// a constraint none of whose keys was set (the defaults).
absl::Status CheckConstraints(const TrainConfig& config,
                              const std::map<std::string, std::string>& set_at,
                              const std::string& source);

}  // namespace w2v::io
