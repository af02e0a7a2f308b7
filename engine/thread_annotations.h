// Clang thread-safety annotations (no-ops under g++), as in LevelDB's port/thread_annotations.h.
// Mark every shared field with the mutex that guards it; clang -Wthread-safety checks them.
#pragma once

#if defined(__clang__)
#define PSR_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define PSR_THREAD_ANNOTATION(x)
#endif

#define GUARDED_BY(x) PSR_THREAD_ANNOTATION(guarded_by(x))
#define REQUIRES(...) PSR_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) PSR_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
