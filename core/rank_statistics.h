// Rank statistics for comparing a model's similarities with human scores, as gensim's
// evaluate_word_pairs does through scipy.
#pragma once

#include <span>
#include <vector>

namespace w2v::core {

// 1-based ranks of `values`, tied values sharing the mean of their ranks.
std::vector<double> AverageRanks(std::span<const double> values);

// Spearman's rank correlation (ties averaged, as scipy.stats.spearmanr): the Pearson correlation of
// the ranks. NaN when there are fewer than two values or one side is constant.
double SpearmanRho(std::span<const double> x, std::span<const double> y);

}  // namespace w2v::core
