/* A power cut, simulated: LD_PRELOAD this into a process and every successful fsync() or
 * fdatasync() of a regular file directly inside $PCUT_WATCH copies that file, as it is at that
 * moment, into $PCUT_DISK (atomically: temp + rename). $PCUT_DISK is then "what the disk
 * holds": anything written but not yet fsynced is not in it. Kill the process at any moment,
 * replace $PCUT_WATCH with $PCUT_DISK, and you have the files a power cut would leave in the
 * worst case (no unsynced write reached the disk). Directory operations are kept as done. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void snapshot(int fd) {
    const char *watch = getenv("PCUT_WATCH"), *disk = getenv("PCUT_DISK");
    char link[64], path[PATH_MAX], dst[PATH_MAX], tmp[PATH_MAX], buf[1 << 16];
    struct stat st;
    ssize_t n;
    if (!watch || !disk || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    n = readlink(link, path, sizeof path - 1);
    if (n < 0) return;
    path[n] = 0;
    size_t len = strlen(watch);
    if (strncmp(path, watch, len) != 0 || path[len] != '/' || strchr(path + len + 1, '/')) return;
    snprintf(dst, sizeof dst, "%s/%s", disk, path + len + 1);
    snprintf(tmp, sizeof tmp, "%s/.%s.pcut", disk, path + len + 1);
    int saved = errno, out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out < 0) { errno = saved; return; }
    off_t at = 0;
    while ((n = pread(fd, buf, sizeof buf, at)) > 0) {
        if (write(out, buf, (size_t)n) != n) break;
        at += n;
    }
    close(out);
    rename(tmp, dst);
    errno = saved;
}

int fsync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int rc = real(fd);
    if (rc == 0) snapshot(fd);
    return rc;
}

int fdatasync(int fd) {
    static int (*real)(int);
    if (!real) real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int rc = real(fd);
    if (rc == 0) snapshot(fd);
    return rc;
}
