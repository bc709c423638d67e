// The MPI all-reduce a rank sync makes (MPI_SUM of floats, in place), timed by message size: the
// bandwidth docs/DISTRIBUTED.md's cost model takes. Built and run by tools/allreduce_bandwidth.sh
// under mpirun; prints one line per size from rank 0: bytes, median seconds of 20, the bus
// bandwidth 2(p-1)/p * bytes / time.
#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  for (long floats = 1 << 10; floats <= (1L << 24); floats <<= 2) {
    std::vector<float> values(static_cast<size_t>(floats), 1.0f);
    std::vector<double> times;
    for (int i = 0; i < 21; ++i) {
      MPI_Barrier(MPI_COMM_WORLD);
      const double start = MPI_Wtime();
      MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(floats), MPI_FLOAT, MPI_SUM,
                    MPI_COMM_WORLD);
      if (i > 0) times.push_back(MPI_Wtime() - start);  // the first warms the buffers up
    }
    std::sort(times.begin(), times.end());
    const double median = times[times.size() / 2];
    const double bytes = static_cast<double>(floats) * sizeof(float);
    if (rank == 0) {
      std::printf("%12.0f bytes  %10.6f s  %8.2f GB/s\n", bytes, median,
                  2.0 * (size - 1) / size * bytes / median / 1e9);
    }
  }
  MPI_Finalize();
  return 0;
}
