/* The EAM kinds: one type per DYNAMO format, the same operations (the
 * formats differ only in how a file becomes tables). */
#include "potential/eam.h"
#include "potential/eam_deriv.h"

static const am_pair_embed eam_pair_embed = {eam_radial, eam_embed};

#define EAM_TYPE(pair_style, style_id, reader)                                                              \
    {                                                                                                       \
        .name = pair_style, .units = "metal", .style = style_id, .read = reader, .model_free = eam_model_free, \
        .cutoff = eam_cutoff, .hash = eam_hash, .create = eam_engine_create, .compute = eam_engine_compute,   \
        .nbuilds = eam_engine_nbuilds, .invalidate = eam_engine_invalidate, .free = eam_engine_free,          \
        .region = &eam_region_ops, .pair_embed = &eam_pair_embed                                              \
    }

const am_engine_type am_eam_funcfl_type = EAM_TYPE("eam", AM_EAM_FUNCFL, eam_read_funcfl_kind);
const am_engine_type am_eam_setfl_type = EAM_TYPE("eam/alloy", AM_EAM_SETFL, eam_read_setfl_kind);
const am_engine_type am_eam_fs_type = EAM_TYPE("eam/fs", AM_EAM_FS, eam_read_fs_kind);
