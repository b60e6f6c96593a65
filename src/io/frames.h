/* Internal: reading one frame of a multi-frame file (extxyz, LAMMPS dumps).
 * The format supplies callbacks for its frames; choosing the frame, counting
 * frames from the end and the "no such frame" messages are shared here. */
#ifndef AM_IO_FRAMES_H
#define AM_IO_FRAMES_H

#include "amorph/io.h"
#include "io/lineread.h"

typedef struct am_io_frames {
    /* Reads the header of the next frame into `frame` and marks its first
     * line; *got = 0 if the file ends before another frame starts. */
    am_status (*head)(am_io_lr *r, void *frame, int *got, am_io_mark *start);
    /* Reads past the atoms of the frame whose header was just read. */
    am_status (*skip)(am_io_lr *r, const void *frame);
    /* Reads the atoms of the frame whose header was just read. */
    am_status (*read)(am_io_lr *r, const void *frame, const am_read_options *opt, am_system **out);
    const char *noun;  /* "but the <noun> has 2 frames" */
    /* "expected <first>" when the file holds no frame at all; NULL makes an
     * empty file one with zero frames, so the frame is out of range */
    const char *first;
} am_io_frames;

/* Reads frame opt->frame of path (0 = first, -1 = last) into *out; `frame`
 * is the format's storage for one frame header. */
am_status am_io_read_frame(const char *path, const am_read_options *opt, const am_io_frames *fr, void *frame,
                           am_system **out);

#endif
