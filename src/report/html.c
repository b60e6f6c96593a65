/* The report for a browser: its Markdown rendered as one HTML page. The
 * report writes only a small Markdown subset, so the HTML is made from the
 * Markdown rather than written beside it: the two can never say different
 * things. Figures stay beside the page (PNG, linked to their SVG). */
#include "amorph/report.h"
#include "core/error.h"
#include "io/atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void esc(FILE *o, const char *s, size_t len)
{
    for (size_t k = 0; k < len; k++) {
        switch (s[k]) {
        case '&': fputs("&amp;", o); break;
        case '<': fputs("&lt;", o); break;
        case '>': fputs("&gt;", o); break;
        case '"': fputs("&quot;", o); break;
        default: fputc(s[k], o);
        }
    }
}

/* Inline markup: `code`, **strong**, *emphasis*; the rest escaped. */
static void inline_md(FILE *o, const char *s, size_t len)
{
    size_t k = 0;
    while (k < len) {
        const char *rest = s + k;
        const size_t left = len - k;
        const char *end;
        if (rest[0] == '`' && (end = memchr(rest + 1, '`', left - 1))) {
            fputs("<code>", o);
            esc(o, rest + 1, (size_t)(end - rest - 1));
            fputs("</code>", o);
            k += (size_t)(end - rest) + 1;
            continue;
        }
        if (left > 3 && rest[0] == '*' && rest[1] == '*') {
            const char *close = NULL;
            for (size_t q = 2; q + 1 < left; q++)
                if (rest[q] == '*' && rest[q + 1] == '*') { close = rest + q; break; }
            if (close) {
                fputs("<strong>", o);
                inline_md(o, rest + 2, (size_t)(close - rest - 2));
                fputs("</strong>", o);
                k += (size_t)(close - rest) + 2;
                continue;
            }
        }
        if (left > 2 && rest[0] == '*' && rest[1] != ' ' && (end = memchr(rest + 1, '*', left - 1)) && end > rest + 1) {
            fputs("<em>", o);
            esc(o, rest + 1, (size_t)(end - rest - 1));
            fputs("</em>", o);
            k += (size_t)(end - rest) + 1;
            continue;
        }
        esc(o, rest, 1);
        k++;
    }
}

static void table_row(FILE *o, const char *line, const char *cell)
{
    fputs("<tr>", o);
    const char *p = line + 1;
    while (*p) {
        const char *bar = strchr(p, '|');
        if (!bar) break;
        const char *a = p, *e = bar;
        while (a < e && *a == ' ') a++;
        while (e > a && e[-1] == ' ') e--;
        fprintf(o, "<%s>", cell);
        inline_md(o, a, (size_t)(e - a));
        fprintf(o, "</%s>", cell);
        p = bar + 1;
    }
    fputs("</tr>\n", o);
}

/* ![caption](file.png) on a line of its own */
static int image(FILE *o, const char *line)
{
    const char *mid = strstr(line, "](");
    const size_t len = strlen(line);
    if (strncmp(line, "![", 2) != 0 || !mid || len < 4 || line[len - 1] != ')') return 0;
    const char *src = mid + 2;
    const size_t slen = (size_t)(line + len - 1 - src);
    fputs("<figure><a href=\"", o);
    if (slen > 4 && strncmp(src + slen - 4, ".png", 4) == 0) {
        esc(o, src, slen - 4);
        fputs(".svg", o);
    } else {
        esc(o, src, slen);
    }
    fputs("\"><img src=\"", o);
    esc(o, src, slen);
    fputs("\" alt=\"", o);
    esc(o, line + 2, (size_t)(mid - line - 2));
    fputs("\"></a><figcaption>", o);
    inline_md(o, line + 2, (size_t)(mid - line - 2));
    fputs("</figcaption></figure>\n", o);
    return 1;
}

static const char *style =
    "body{font-family:Helvetica,Arial,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;line-height:1.45;"
    "color:#222}h1{font-size:1.7em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}"
    "table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em;"
    "text-align:left}tr:nth-child(even){background:#f6f6f6}code{background:#f0f0f0;padding:0 .2em;border-radius:3px}"
    "pre{background:#f0f0f0;padding:.8em;white-space:pre-wrap;word-break:break-all}figure{margin:1.5em 0}img{max-width:100%;"
    "border:1px solid #ddd}figcaption{color:#555;font-size:.9em}"
    ".caution{border-left:4px solid #D55E00;background:#fff4ec;padding:.5em 1em;margin:1em 0}";

enum block { NONE, PARA, TABLE, LIST, CODE, QUOTE };

static void close_block(FILE *o, enum block b)
{
    static const char *const end[] = {"", "</p>\n", "</table>\n", "</ul>\n", "</pre>\n", "</div>\n"};
    fputs(end[b], o);
}

am_status am_report_html(const char *markdown_path, const char *html_path, const char *title)
{
    if (!markdown_path || !html_path) return am_fail(AM_ERR_VALUE, "am_report_html: no file name");
    FILE *in = fopen(markdown_path, "r");
    if (!in) return am_fail(AM_ERR_IO, "cannot read %s: %s", markdown_path, strerror(errno));
    am_io_afile out = {0};
    am_status st = am_io_afile_open(&out, html_path);
    if (st) { fclose(in); return st; }
    FILE *o = out.fp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", o);
    esc(o, title ? title : "amorph report", strlen(title ? title : "amorph report"));
    fprintf(o, "</title>\n<style>%s</style></head><body>\n", style);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    enum block cur = NONE;
    int table_head = 0;
    while ((got = getline(&line, &cap, in)) >= 0) {
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r')) line[--got] = '\0';
        if (cur == CODE) {
            if (strncmp(line, "```", 3) == 0) { close_block(o, cur); cur = NONE; }
            else { esc(o, line, (size_t)got); fputc('\n', o); }
            continue;
        }
        const enum block want = strncmp(line, "```", 3) == 0 ? CODE
                                : line[0] == '|'             ? TABLE
                                : strncmp(line, "- ", 2) == 0 ? LIST
                                : strncmp(line, "> ", 2) == 0 ? QUOTE
                                : got == 0 || line[0] == '#' || strncmp(line, "![", 2) == 0 ? NONE
                                                                                             : PARA;
        if (want != cur || want == CODE) {
            close_block(o, cur);
            cur = want;
            static const char *const start[] = {"", "<p>", "<table>\n", "<ul>\n", "<pre>", "<div class=\"caution\">"};
            fputs(start[cur], o);
            table_head = 1;
            if (cur == CODE) continue;
        }
        switch (cur) {
        case TABLE:
            if (strspn(line, "|-: ") == (size_t)got) continue; /* the header rule */
            table_row(o, line, table_head ? "th" : "td");
            table_head = 0;
            break;
        case LIST: fputs("<li>", o); inline_md(o, line + 2, (size_t)got - 2); fputs("</li>\n", o); break;
        case QUOTE: inline_md(o, line + 2, (size_t)got - 2); fputc('\n', o); break;
        case PARA: inline_md(o, line, (size_t)got); fputc('\n', o); break;
        default:
            if (line[0] == '#') {
                int level = (int)strspn(line, "#");
                level = level > 6 ? 6 : level;
                const char *text = line + strspn(line, "#");
                text += strspn(text, " ");
                /* an anchor from the words, so a section can be linked (index.html#viscosity) */
                fprintf(o, "<h%d id=\"", level);
                int dash = 0, any = 0;
                for (const char *p = text; *p; p++) {
                    const unsigned char ch = (unsigned char)*p;
                    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z')) {
                        if (dash && any) fputc('-', o);
                        fputc(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch, o);
                        dash = 0, any = 1;
                    } else {
                        dash = 1;
                    }
                }
                fputs("\">", o);
                inline_md(o, text, strlen(text));
                fprintf(o, "</h%d>\n", level);
            } else if (got > 0 && !image(o, line)) {
                fputs("<p>", o);
                inline_md(o, line, (size_t)got);
                fputs("</p>\n", o);
            }
        }
    }
    close_block(o, cur);
    fputs("</body></html>\n", o);
    free(line);
    const int read_error = ferror(in);
    fclose(in);
    if (read_error) {
        am_io_afile_abort(&out);
        return am_fail(AM_ERR_IO, "error reading %s", markdown_path);
    }
    return am_io_afile_commit(&out);
}
