#include "io/frames.h"

#include <stdlib.h>

static am_status no_frame(const am_io_lr *r, const am_io_frames *fr)
{
    return am_io_lr_fail(r, AM_ERR_PARSE, am_io_got_eof, "expected %s", fr->first);
}

static am_status out_of_range(const am_io_lr *r, const am_io_frames *fr, long want, long nframes,
                              const char *from_end)
{
    return am_io_fail(AM_ERR_VALUE, r->path, r->line > 0 ? r->line : 1, NULL,
                      "expected frame %ld%s, but the %s has %ld frame%s", want, from_end, fr->noun, nframes,
                      nframes == 1 ? "" : "s");
}

/* Leaves r just past the header of frame `want`, read into `frame`. */
static am_status select_frame(am_io_lr *r, long want, const am_io_frames *fr, void *frame)
{
    am_io_mark start;
    int got;
    long nframes = 0;
    am_status st;
    if (want >= 0) {
        for (;;) {
            st = fr->head(r, frame, &got, &start);
            if (st) return st;
            if (!got) return nframes == 0 && fr->first ? no_frame(r, fr) : out_of_range(r, fr, want, nframes, "");
            if (nframes == want) return AM_OK;
            st = fr->skip(r, frame);
            if (st) return st;
            nframes++;
        }
    }
    /* Counting from the end needs the frame count: one pass to find where
     * frames start, then a seek to the wanted one. */
    am_io_mark *marks = NULL;
    size_t cap = 0;
    for (;;) {
        st = fr->head(r, frame, &got, &start);
        if (st || !got) break;
        if ((size_t)nframes == cap) {
            size_t nc = cap ? 2 * cap : 64;
            am_io_mark *m = realloc(marks, nc * sizeof *m);
            if (!m) {
                st = am_fail(AM_ERR_NOMEM, "%s: out of memory", r->path);
                break;
            }
            marks = m;
            cap = nc;
        }
        marks[nframes++] = start;
        st = fr->skip(r, frame);
        if (st) break;
    }
    if (!st) {
        long idx = nframes + want;
        if (nframes == 0 && fr->first) st = no_frame(r, fr);
        else if (idx < 0) st = out_of_range(r, fr, want, nframes, " counted from the end");
        else st = am_io_lr_seek(r, marks[idx]);
        if (!st) st = fr->head(r, frame, &got, &start);
    }
    free(marks);
    return st;
}

am_status am_io_read_frame(const char *path, const am_read_options *opt, const am_io_frames *fr, void *frame,
                           am_system **out)
{
    *out = NULL;
    am_io_lr r;
    am_status st = am_io_lr_open(&r, path);
    if (st) return st;
    st = select_frame(&r, opt->frame, fr, frame);
    if (!st) st = fr->read(&r, frame, opt, out);
    am_io_lr_close(&r);
    return st;
}
