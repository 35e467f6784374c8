// FUZZ_CHECK: the property checks of the fuzz targets. A failed check prints the condition and
// aborts, which libFuzzer reports as a crash and saves the input; it is active in every build
// (the targets are not compiled with assert's NDEBUG in mind).
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                               \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                         \
    }                                                                                       \
  } while (false)
