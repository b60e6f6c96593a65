/* A fuzz target without libFuzzer: runs LLVMFuzzerTestOneInput on every
 * file named or inside a directory named on the command line, so that the
 * seed corpus and every input that once was a finding stay tests of the
 * ordinary and the sanitizer builds. Fails when there is nothing to run. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 0;
    }
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, 2 * cap);
            if (!b) free(buf);
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return 0;
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 1;
}

int main(int argc, char **argv)
{
    long ran = 0;
    int ok = 1;
    for (int a = 1; a < argc; a++) {
        struct stat st;
        if (stat(argv[a], &st) != 0) {
            fprintf(stderr, "%s: no such file or directory\n", argv[a]);
            ok = 0;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            ok &= run_file(argv[a]);
            ran++;
            continue;
        }
        DIR *d = opendir(argv[a]);
        for (struct dirent *e; d && (e = readdir(d));) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[a], e->d_name);
            if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
            ok &= run_file(path);
            ran++;
        }
        if (d) closedir(d);
    }
    printf("%ld inputs run without a finding\n", ran);
    return ok && ran > 0 ? 0 : 1;
}
