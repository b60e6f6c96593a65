/* Every command of the README's "Using it" block runs as written, in that
 * order, in a scratch directory (with the shipped data/ beside it): a user
 * who copies the README line by line never meets an error. */
#include "util/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The README's first ```sh block after "## Using it": its lines, with
 * backslash continuations joined; NULL-ended, malloc'd. */
static char **commands(const char *readme, int *count)
{
    char *text = read_text_file(readme, NULL);
    char **out = calloc(64, sizeof *out);
    *count = 0;
    const char *sec = text ? strstr(text, "\n## Using it") : NULL;
    const char *start = sec ? strstr(sec, "```sh\n") : NULL;
    const char *end = start ? strstr(start + 6, "\n```") : NULL;
    if (!out || !end) { free(text); return out; }
    char line[4096] = "";
    for (const char *p = start + 6; p < end && *count < 63;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        strncat(line, p, len < sizeof line - strlen(line) - 1 ? len : sizeof line - strlen(line) - 1);
        p += len + 1;
        size_t l = strlen(line);
        if (l && line[l - 1] == '\\') { line[l - 1] = ' '; continue; }
        /* a comment starts at " #" */
        char *hash = strstr(line, " #");
        if (hash) *hash = '\0';
        if (strncmp(line, "amorph ", 7) == 0) out[(*count)++] = strdup(line + 7);
        line[0] = '\0';
    }
    free(text);
    return out;
}

int main(void)
{
    int n = 0;
    char **cmd = commands(source_path("README.md"), &n);
    check_true(n >= 10, "the README's \"Using it\" block lists %d amorph commands", n);
    const char *dir = scratch_dir("readme");
    char data[1024];
    snprintf(data, sizeof data, "%s/data", dir);
    check_true(symlink(source_path("data"), data) == 0, "the shipped data/ beside the commands");
    check_true(chdir(dir) == 0, "into %s", dir);
    static char out[1 << 16];
    for (int k = 0; k < n; k++) {
        const int rc = run_amorph(cmd[k], out, sizeof out);
        const char *tail = strlen(out) > 300 ? out + strlen(out) - 300 : out;
        check_true(rc == 0, "amorph %s: exit %d%s%s", cmd[k], rc, rc ? ": " : "", rc ? tail : "");
        free(cmd[k]);
    }
    free(cmd);
    /* what the chain is for: a report a browser can open */
    check_true(file_contains("report/index.html", "<table>") && file_contains("report/summary.json", "\"correlations\""),
               "the chain ends in a report (report/index.html, report/summary.json)");
    return check_exit();
}
