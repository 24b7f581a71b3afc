/*
 * bench/spawn.c: runs one command and reports its exit code, peak resident
 * memory and wall time:  spawn RESULT_FILE COMMAND [ARGS...]
 * writes "EXIT_CODE MAXRSS_KIB ELAPSED_NS CPU_NS" to RESULT_FILE (CPU: the
 * child's user + system time).
 *
 * Why not os.wait4 straight from Python: Linux folds the pre-exec address
 * space's high-water mark into the child's ru_maxrss, so a child forked by the
 * Python harness reports at least the harness's own peak (about 25 MiB, more
 * with a 10,000-revision history in memory).  Forked from this small program,
 * the child starts from about 1 MiB.  bench.py compiles it with `cc` into
 * bench/.work/ and falls back to os.wait4 if there is no C compiler.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: spawn RESULT_FILE COMMAND [ARGS...]\n");
        return 125;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 125;
    }
    long long cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL
                  + (long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
    fprintf(f, "%d %ld %lld %lld\n", code, ru.ru_maxrss, ns, cpu);
    fclose(f);
    return 0;
}
