#include "core/process.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static am_status make_one(const char *path)
{
    if (mkdir(path, 0755) == 0) return AM_OK;
    int err = errno;
    struct stat st;
    if (err == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return AM_OK;
    if (err == EEXIST) return am_fail(AM_ERR_IO, "%s: exists and is not a directory", path);
    return am_fail(AM_ERR_IO, "%s: cannot create the directory: %s", path, strerror(err));
}

am_status am_mkdir_p(const char *path)
{
    if (!path || !path[0]) return am_fail(AM_ERR_VALUE, "no directory name");
    size_t n = strlen(path);
    char *buf = malloc(n + 1);
    if (!buf) return am_fail(AM_ERR_NOMEM, "out of memory");
    memcpy(buf, path, n + 1);
    am_status st = AM_OK;
    /* each parent in turn, skipping the root and repeated slashes */
    for (size_t k = 1; k < n && !st; k++) {
        if (buf[k] != '/' || buf[k - 1] == '/') continue;
        buf[k] = '\0';
        st = make_one(buf);
        buf[k] = '/';
    }
    if (!st) st = make_one(buf);
    free(buf);
    return st;
}

extern char **environ;

static am_status run(const char *dir, char *const argv[], const char *log_path, char **envp, int *exit_code)
{
    *exit_code = 127;
    if (!argv || !argv[0]) return am_fail(AM_ERR_VALUE, "no program to run");
    pid_t pid = fork();
    if (pid < 0) return am_fail(AM_ERR_IO, "cannot start %s: %s", argv[0], strerror(errno));
    if (pid == 0) {
        /* only async-signal-safe calls between fork and exec */
        if (log_path) { /* before chdir: the path is relative to the caller's directory */
            int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) _exit(127);
        }
        if (dir && chdir(dir) != 0) _exit(127);
        if (envp) environ = envp;
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return am_fail(AM_ERR_IO, "lost the %s process: %s", argv[0], strerror(errno));
    if (WIFEXITED(status)) *exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) *exit_code = 128 + WTERMSIG(status);
    return AM_OK;
}

am_status am_run_program(const char *dir, char *const argv[], const char *log_path, int *exit_code)
{
    return run(dir, argv, log_path, NULL, exit_code);
}

static int mpi_variable(const char *v)
{
    static const char *const prefixes[] = {"OMPI_", "PMIX_", "ORTE_", "OPAL_", "PMI_", "HYDRA_", "I_MPI_"};
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++)
        if (strncmp(v, prefixes[k], strlen(prefixes[k])) == 0) return 1;
    return 0;
}

am_status am_run_program_standalone(const char *dir, char *const argv[], const char *log_path, int *exit_code)
{
    size_t n = 0;
    while (environ && environ[n]) n++;
    /* built before fork: the child may only assign it */
    char **envp = malloc((n + 1) * sizeof *envp);
    if (!envp) return am_fail(AM_ERR_NOMEM, "out of memory for %s's environment", argv && argv[0] ? argv[0] : "a program");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!mpi_variable(environ[i])) envp[k++] = environ[i];
    envp[k] = NULL;
    am_status st = run(dir, argv, log_path, envp, exit_code);
    free(envp);
    return st;
}
