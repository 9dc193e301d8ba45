// File-system calls the Swift Glibc module does not declare (they need _GNU_SOURCE).
#define _GNU_SOURCE
#include "cfileio.h"

#include <errno.h>
#include <stdio.h>

#if defined(__linux__)
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int cfileio_exchange(const char *from, const char *to) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

#else

int cfileio_exchange(const char *from, const char *to) {
    (void)from; (void)to;
    errno = ENOSYS;
    return -1;
}

#endif

#include <string.h>

int cfileio_contains(const void *bytes, unsigned long count, const void *needle, unsigned long needle_count) {
    return memmem(bytes, count, needle, needle_count) != NULL;
}
