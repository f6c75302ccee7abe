// SPDX-License-Identifier: Apache-2.0
//
// A PJRT plugin that fails its first computation: it forwards every call to a real PJRT plugin
// (the path is compiled in as REAL_PLUGIN), except PJRT_LoadedExecutable_Execute, which returns
// an error. Built by the tests with the system C compiler and go-xla's pjrt_c_api.h.
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "pjrt_c_api.h"

static PJRT_Api api;
static PJRT_Error* const failed = (PJRT_Error*)&api; // a pointer no real error can have
static const char message[] = "test plugin: every computation fails here";
static PJRT_Error_Destroy* real_destroy;
static PJRT_Error_Message* real_message;
static PJRT_Error_GetCode* real_code;

static PJRT_Error* fail_execute(PJRT_LoadedExecutable_Execute_Args* args) {
  (void)args;
  return failed;
}

static void error_destroy(PJRT_Error_Destroy_Args* args) {
  if (args->error != failed) real_destroy(args);
}

static void error_message(PJRT_Error_Message_Args* args) {
  if (args->error != failed) {
    real_message(args);
    return;
  }
  args->message = message;
  args->message_size = sizeof(message) - 1;
}

static PJRT_Error* error_code(PJRT_Error_GetCode_Args* args) {
  if (args->error != failed) return real_code(args);
  args->code = PJRT_Error_Code_INTERNAL;
  return NULL;
}

const PJRT_Api* GetPjrtApi(void) {
  if (real_destroy != NULL) return &api;
  void* h = dlopen(REAL_PLUGIN, RTLD_NOW | RTLD_LOCAL);
  if (h == NULL) return NULL;
  const PJRT_Api* (*get)(void) = (const PJRT_Api* (*)(void))dlsym(h, "GetPjrtApi");
  if (get == NULL) return NULL;
  const PJRT_Api* real = get();
  if (real == NULL) return NULL;
  // The real table may be newer (longer) than this header's: copy what both know.
  size_t n = real->struct_size < sizeof(api) ? real->struct_size : sizeof(api);
  memcpy(&api, real, n);
  api.struct_size = n;
  real_destroy = api.PJRT_Error_Destroy;
  real_message = api.PJRT_Error_Message;
  real_code = api.PJRT_Error_GetCode;
  api.PJRT_Error_Destroy = error_destroy;
  api.PJRT_Error_Message = error_message;
  api.PJRT_Error_GetCode = error_code;
  api.PJRT_LoadedExecutable_Execute = fail_execute;
  return &api;
}
