// SPDX-License-Identifier: Apache-2.0
//
// A PJRT plugin of a PJRT C API version go-xla cannot speak (MAJOR.MINOR, compiled in): its
// table holds the version and nothing else. Built by the tests with the system C compiler.
#include <stddef.h>

typedef struct {
  size_t struct_size;
  void* extension_start;
  int major_version;
  int minor_version;
} Version;

typedef struct {
  size_t struct_size;
  void* extension_start;
  Version pjrt_api_version;
} Api;

static const Api api = {sizeof(Api), NULL, {sizeof(Version), NULL, MAJOR, MINOR}};

const Api* GetPjrtApi(void) { return &api; }
