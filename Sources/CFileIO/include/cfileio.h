#ifndef CFILEIO_H
#define CFILEIO_H

/// Atomically swaps the files at `from` and `to` (Linux `renameat2` with `RENAME_EXCHANGE`):
/// afterwards `to` holds what `from` held and `from` the previous `to`. Returns 0, or -1 with
/// errno set: ENOENT when either does not exist, EINVAL or ENOSYS where the file system or the
/// system cannot exchange (other systems always answer ENOSYS).
int cfileio_exchange(const char *from, const char *to);

/// Asks the CPU to bring the cache line holding `address` closer, for reading soon. Only a hint:
/// it never faults, whatever the address.
static inline void cfileio_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Whether the `needle_count` bytes at `needle` occur in the `count` bytes at `bytes` (`memmem`,
/// which the Swift Glibc module does not declare).
int cfileio_contains(const void *bytes, unsigned long count, const void *needle, unsigned long needle_count);

#endif
